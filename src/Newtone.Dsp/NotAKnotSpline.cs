namespace Newtone.Dsp;

/// <summary>
/// Cubic spline interpolation with the not-a-knot end condition (scipy's <c>CubicSpline</c> default):
/// the third derivative is continuous at the second and the second-to-last knot, so the first two and
/// the last two pieces are each one cubic. Three knots give the parabola through them, two the line.
/// Outside the knots the end pieces are extended.
/// </summary>
public sealed class NotAKnotSpline
{
    private readonly double[] _x, _y, _m;   // knots, values, second derivatives at the knots

    /// <summary>Builds the spline through (x, y); x strictly increasing, at least two knots.</summary>
    public NotAKnotSpline(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = x.Count;
        if (n < 2 || y.Count != n) throw new ArgumentException("a spline needs at least two knots and one value per knot");
        for (int i = 1; i < n; i++)
            if (!(x[i] > x[i - 1])) throw new ArgumentException("knots must be strictly increasing", nameof(x));
        _x = [.. x];
        _y = [.. y];
        _m = new double[n];
        if (n == 2) return;   // straight line: M = 0
        if (n == 3)
        {
            // One parabola: constant second derivative 2a.
            double d0 = (_y[1] - _y[0]) / (_x[1] - _x[0]), d1 = (_y[2] - _y[1]) / (_x[2] - _x[1]);
            double twoA = 2 * (d1 - d0) / (_x[2] - _x[0]);
            Array.Fill(_m, twoA);
            return;
        }
        // Unknowns M_0…M_{n−1}. Interior rows (C² continuity):
        //   h_{i−1} M_{i−1} + 2(h_{i−1} + h_i) M_i + h_i M_{i+1} = 6[(y_{i+1} − y_i)/h_i − (y_i − y_{i−1})/h_{i−1}]
        // End rows (not-a-knot, equal third derivatives either side of knot 1 and knot n−2):
        //   h_1 M_0 − (h_0 + h_1) M_1 + h_0 M_2 = 0,   h_{n−2} M_{n−3} − (h_{n−3} + h_{n−2}) M_{n−2} + h_{n−3} M_{n−1} = 0
        var h = new double[n - 1];
        for (int i = 0; i < n - 1; i++) h[i] = _x[i + 1] - _x[i];
        var a = new double[n, n];
        var b = new double[n];
        a[0, 0] = h[1]; a[0, 1] = -(h[0] + h[1]); a[0, 2] = h[0];
        for (int i = 1; i < n - 1; i++)
        {
            a[i, i - 1] = h[i - 1];
            a[i, i] = 2 * (h[i - 1] + h[i]);
            a[i, i + 1] = h[i];
            b[i] = 6 * ((_y[i + 1] - _y[i]) / h[i] - (_y[i] - _y[i - 1]) / h[i - 1]);
        }
        a[n - 1, n - 3] = h[n - 2]; a[n - 1, n - 2] = -(h[n - 3] + h[n - 2]); a[n - 1, n - 1] = h[n - 3];
        Solve(a, b, _m);
    }

    /// <summary>The knots.</summary>
    public IReadOnlyList<double> Knots => _x;

    /// <summary>S(x).</summary>
    public double Evaluate(double x)
    {
        int n = _x.Length;
        int i = Array.BinarySearch(_x, x);
        if (i >= 0) return _y[i];   // at a knot: its value, exactly
        i = ~i - 1;
        i = Math.Clamp(i, 0, n - 2);
        double h = _x[i + 1] - _x[i];
        double l = _x[i + 1] - x, r = x - _x[i];
        return _m[i] * l * l * l / (6 * h) + _m[i + 1] * r * r * r / (6 * h)
            + (_y[i] / h - _m[i] * h / 6) * l + (_y[i + 1] / h - _m[i + 1] * h / 6) * r;
    }

    private static void Solve(double[,] a, double[] b, double[] x)
    {
        // Gaussian elimination with partial pivoting (the not-a-knot rows break the tridiagonal form).
        int n = b.Length;
        for (int col = 0; col < n; col++)
        {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col])) piv = r;
            if (piv != col)
            {
                for (int c = 0; c < n; c++) (a[col, c], a[piv, c]) = (a[piv, c], a[col, c]);
                (b[col], b[piv]) = (b[piv], b[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double f = a[r, col] / a[col, col];
                if (f == 0) continue;
                for (int c = col; c < n; c++) a[r, c] -= f * a[col, c];
                b[r] -= f * b[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int c = r + 1; c < n; c++) s -= a[r, c] * x[c];
            x[r] = s / a[r, r];
        }
    }
}
