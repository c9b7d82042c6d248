
namespace Newtone.Tests;

/// <summary>The not-a-knot cubic spline and the settings interpolation of SPEC §6.</summary>
public class SplineTests
{
    [Fact]
    public void ReproducesAnyCubicExactly()
    {
        var rng = new Rng(4);
        for (int trial = 0; trial < 20; trial++)
        {
            double a = rng.Gaussian(), b = rng.Gaussian(), c = rng.Gaussian(), d = rng.Gaussian();
            double P(double x) => ((a * x + b) * x + c) * x + d;
            // Uneven knots, 4 to 13 of them.
            int n = 4 + rng.Next(10);
            var xs = new double[n];
            xs[0] = rng.Uniform(-2, 0);
            for (int i = 1; i < n; i++) xs[i] = xs[i - 1] + rng.Uniform(0.1, 1.5);
            var s = new NotAKnotSpline(xs, xs.Select(P).ToArray());
            for (double x = xs[0] - 0.5; x <= xs[^1] + 0.5; x += 0.037)
                Assert.Equal(P(x), s.Evaluate(x), 1e-9 * (1 + Math.Abs(P(x))));
        }
    }

    /// <summary>
    /// An independent derivation: the spline as 4(n−1) polynomial coefficients (a_i + b_i t + c_i t² + d_i t³
    /// on each interval, t = x − x_i) from the conditions written out directly — interpolation at both ends of
    /// every piece, C¹ and C² at interior knots, and not-a-knot (d_0 = d_1, d_{n−3} = d_{n−2}) — solved as one
    /// dense system.
    /// </summary>
    private static Func<double, double> ByCoefficients(double[] x, double[] y)
    {
        int n = x.Length, m = 4 * (n - 1);
        var A = new double[m, m];
        var rhs = new double[m];
        int row = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double h = x[i + 1] - x[i];
            A[row, 4 * i] = 1; rhs[row++] = y[i];
            A[row, 4 * i] = 1; A[row, 4 * i + 1] = h; A[row, 4 * i + 2] = h * h; A[row, 4 * i + 3] = h * h * h; rhs[row++] = y[i + 1];
        }
        for (int i = 0; i < n - 2; i++)
        {
            double h = x[i + 1] - x[i];
            A[row, 4 * i + 1] = 1; A[row, 4 * i + 2] = 2 * h; A[row, 4 * i + 3] = 3 * h * h; A[row, 4 * (i + 1) + 1] = -1; row++;
            A[row, 4 * i + 2] = 2; A[row, 4 * i + 3] = 6 * h; A[row, 4 * (i + 1) + 2] = -2; row++;
        }
        A[row, 3] = 1; A[row, 7] = -1; row++;
        A[row, 4 * (n - 3) + 3] = 1; A[row, 4 * (n - 2) + 3] = -1; row++;
        Assert.Equal(m, row);
        // Gauss–Jordan elimination.
        for (int c = 0; c < m; c++)
        {
            int p = c;
            for (int r = c + 1; r < m; r++) if (Math.Abs(A[r, c]) > Math.Abs(A[p, c])) p = r;
            for (int k = 0; k < m; k++) (A[c, k], A[p, k]) = (A[p, k], A[c, k]);
            (rhs[c], rhs[p]) = (rhs[p], rhs[c]);
            for (int r = 0; r < m; r++)
            {
                if (r == c) continue;
                double f = A[r, c] / A[c, c];
                for (int k = 0; k < m; k++) A[r, k] -= f * A[c, k];
                rhs[r] -= f * rhs[c];
            }
        }
        var coef = Enumerable.Range(0, m).Select(i => rhs[i] / A[i, i]).ToArray();
        return xq =>
        {
            int i = Math.Clamp(Array.BinarySearch(x, xq) is var k && k >= 0 ? k : ~k - 1, 0, n - 2);
            double t = xq - x[i];
            return coef[4 * i] + t * (coef[4 * i + 1] + t * (coef[4 * i + 2] + t * coef[4 * i + 3]));
        };
    }

    [Fact]
    public void MatchesTheIndependentlyDerivedSpline()
    {
        double[] x = [40, 50, 60, 70, 80, 90, 100];
        var rng = new Rng(8);
        for (int trial = 0; trial < 10; trial++)
        {
            var y = x.Select(_ => rng.Uniform(-40, 10)).ToArray();
            var s = new NotAKnotSpline(x, y);
            var reference = ByCoefficients(x, y);
            for (double q = 40; q <= 100; q += 0.5)
                Assert.Equal(reference(q), s.Evaluate(q), 1e-9);
        }
    }

    [Fact]
    public void ThreeKnotsGiveTheParabolaAndTwoTheLine()
    {
        var p = new NotAKnotSpline([0, 1, 3], [1, 2, 10]);   // y = x² + 1 ... through (0,1),(1,2),(3,10)
        Assert.Equal(5, p.Evaluate(2), 12);
        var l = new NotAKnotSpline([0, 2], [1, 5]);
        Assert.Equal(3, l.Evaluate(1), 12);
    }

    [Fact]
    public void LinearInterpolationIsExactOnALinearParameterPath()
    {
        static CompressorSettings Path(double p) => new(-10 - 0.4 * p, 2 + 0.03 * p, 40 - 0.35 * p, 500 - 2.5 * p, 1 - 0.01 * p);
        var interp = new SettingsInterpolation(new[] { 40, 50, 60, 70, 80, 90, 100 }.Select(p => ((double)p, Path(p))));
        foreach (int p in new[] { 45, 55, 65, 75, 85, 95 })
        {
            var lin = interp.Linear(p);
            var expected = Path(p);
            Assert.Equal(expected.ThresholdDb, lin.ThresholdDb, 12);
            Assert.Equal(expected.Ratio, lin.Ratio, 12);
            Assert.Equal(expected.AttackMs, lin.AttackMs, 12);
            Assert.Equal(expected.ReleaseMs, lin.ReleaseMs, 12);
            Assert.Equal(expected.MakeUpDb, lin.MakeUpDb, 12);
            // The spline reproduces a linear path too.
            Assert.Equal(expected.ReleaseMs, interp.Spline(p).ReleaseMs, 9);
        }
    }
}
