
namespace Newtone.Tests;

/// <summary>The Newton direction: Cholesky solve, damped fallback on indefinite Hessians, conjugate gradient.</summary>
public class NewtonStepTests
{
    private static (double[,] H, double[] G) RandomSpd(ulong seed, int n = 5)
    {
        var rng = new Rng(seed);
        var a = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i, j] = rng.Gaussian();
        var h = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? 0.5 : 0;
                for (int k = 0; k < n; k++) s += a[k, i] * a[k, j];
                h[i, j] = s;
            }
        return (h, Enumerable.Range(0, n).Select(_ => rng.Gaussian()).ToArray());
    }

    private static double[] Multiply(double[,] h, double[] s) =>
        Enumerable.Range(0, s.Length).Select(i => Enumerable.Range(0, s.Length).Sum(j => h[i, j] * s[j])).ToArray();

    [Fact]
    public void SolvesPositiveDefiniteSystemsExactly()
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var (h, g) = RandomSpd(seed);
            foreach (bool cg in new[] { false, true })
            {
                var (s, kind, _) = NewtonStep.Direction(h, g, cg);
                Assert.Equal(cg ? StepKind.ConjugateGradient : StepKind.Newton, kind);
                var hs = Multiply(h, s);
                for (int i = 0; i < g.Length; i++) Assert.Equal(-g[i], hs[i], 1e-8);
            }
        }
    }

    [Fact]
    public void IndefiniteHessianGivesADampedDescentDirection()
    {
        var rng = new Rng(9);
        for (int trial = 0; trial < 200; trial++)
        {
            var h = new double[5, 5];
            for (int i = 0; i < 5; i++)
                for (int j = i; j < 5; j++) h[i, j] = h[j, i] = rng.Gaussian() * (i == j ? 10 : 1);
            h[trial % 5, trial % 5] = -Math.Abs(h[trial % 5, trial % 5]) - 1;   // at least one negative direction
            var g = Enumerable.Range(0, 5).Select(_ => rng.Gaussian()).ToArray();
            foreach (bool cg in new[] { false, true })
            {
                var (s, kind, mu) = NewtonStep.Direction(h, g, cg);
                // Cholesky fails on an indefinite H, so the direct method damps; CG may stop early at the
                // negative-curvature direction with a usable descent direction, else it damps too.
                if (!cg || kind != StepKind.ConjugateGradient)
                {
                    Assert.Equal(StepKind.Damped, kind);
                    Assert.True(mu > 0);
                }
                Assert.True(-NewtonStep.Dot(g, s) > 0, "not a descent direction");
            }
        }
    }

    [Fact]
    public void JacobiEigenvaluesOfAKnownMatrix()
    {
        // Q·diag(λ)·Qᵀ for a rotation Q in the (0,1) and (2,4) planes.
        double[] lambda = [3, -2, 0.5, 7, -0.25];
        double c = Math.Cos(0.3), s = Math.Sin(0.3), c2 = Math.Cos(1.1), s2 = Math.Sin(1.1);
        var q = new double[5, 5];
        q[0, 0] = c; q[0, 1] = -s; q[1, 0] = s; q[1, 1] = c; q[3, 3] = 1;
        q[2, 2] = c2; q[2, 4] = -s2; q[4, 2] = s2; q[4, 4] = c2;
        var m = new double[5, 5];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                for (int k = 0; k < 5; k++) m[i, j] += q[i, k] * lambda[k] * q[j, k];
        var e = NewtonStep.SymmetricEigenvalues(m).Order().ToArray();
        var expected = lambda.Order().ToArray();
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], e[i], 12);
    }
}
