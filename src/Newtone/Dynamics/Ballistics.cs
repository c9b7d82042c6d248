namespace Newtone.Dynamics;

/// <summary>
/// Conversions between time constants in milliseconds and one-pole smoothing coefficients
/// (SPEC §1). The constant is 2200, not 1000: <c>coef(ms) = 1 − exp(−2200 / (ms·sr))</c>,
/// i.e. a 10–90 % rise time.
/// </summary>
public static class Ballistics
{
    /// <summary>The rise-time constant of SPEC §1.</summary>
    public const double RiseTimeConstant = 2200.0;

    /// <summary>Smoothing coefficient of a time constant: <c>1 − exp(−2200 / (ms·sr))</c>.</summary>
    public static double Coefficient(double milliseconds, double sampleRate)
    {
        if (!(milliseconds > 0)) throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "time constant must be positive");
        return -double.ExpM1(-RiseTimeConstant / (milliseconds * sampleRate));
    }

    /// <summary>Time constant of a smoothing coefficient: <c>−2200 / (sr·ln(1 − coef))</c>.</summary>
    public static double Milliseconds(double coefficient, double sampleRate)
    {
        if (!(coefficient > 0 && coefficient < 1)) throw new ArgumentOutOfRangeException(nameof(coefficient), coefficient, "coefficient must be in (0, 1)");
        return -RiseTimeConstant / (sampleRate * Math.Log(1 - coefficient));
    }
}
