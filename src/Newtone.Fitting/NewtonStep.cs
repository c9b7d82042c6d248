namespace Newtone.Fitting;

/// <summary>
/// The direction of one Newton iteration (docs/model.md §3 step 1–2): solve <c>H·s = −g</c>, and when H is not
/// positive definite fall back to the damped system <c>(H + μ·D)·s = −g</c>, D = diag(|H_ii|) (floored),
/// with μ grown fourfold until it is positive definite, which guarantees a descent direction
/// (<c>λ = −gᵀs &gt; 0</c> whenever g ≠ 0).
/// </summary>
internal static class NewtonStep
{
    public static (double[] Step, StepKind Kind, double Damping) Direction(double[,] h, double[] g, bool conjugateGradient)
    {
        int n = g.Length;
        double[] s;
        if (conjugateGradient)
        {
            s = ConjugateGradient(h, g);
            if (s.All(double.IsFinite) && -Dot(g, s) > 0) return (s, StepKind.ConjugateGradient, 0);
        }
        else if (TrySolveCholesky(h, g, 0, null, out s) && -Dot(g, s) > 0)
        {
            return (s, StepKind.Newton, 0);
        }

        double maxDiag = 0;
        for (int i = 0; i < n; i++) maxDiag = Math.Max(maxDiag, Math.Abs(h[i, i]));
        if (!(maxDiag > 0) || !double.IsFinite(maxDiag)) maxDiag = 1;
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = Math.Max(Math.Abs(h[i, i]), 1e-8 * maxDiag);
        // Start μ where D^(-1/2)·H·D^(-1/2) + μI becomes positive definite: twice its most negative
        // eigenvalue (the least damping that still leaves a well-conditioned system), then grow.
        var scaled = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) scaled[i, j] = h[i, j] / Math.Sqrt(d[i] * d[j]);
        var eig = SymmetricEigenvalues(scaled);
        double lo = eig.Min(), hi = eig.Select(Math.Abs).Max();
        double mu0 = double.IsFinite(lo) ? Math.Max(-2 * lo, 1e-6 * Math.Max(hi, 1e-12)) : 1e-6;
        for (double mu = mu0; mu < 1e30; mu *= 4)
        {
            if (TrySolveCholesky(h, g, mu, d, out s) && -Dot(g, s) > 0) return (s, StepKind.Damped, mu);
        }
        // Unreachable for finite H and g ≠ 0: a scaled gradient step descends.
        for (int i = 0; i < n; i++) s[i] = -g[i] / d[i];
        return (s, StepKind.Damped, double.PositiveInfinity);
    }

    /// <summary>Eigenvalues of a small symmetric matrix (cyclic Jacobi rotations).</summary>
    public static double[] SymmetricEigenvalues(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        for (int sweep = 0; sweep < 64; sweep++)
        {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    total += a[i, j] * a[i, j];
                    if (i != j) off += a[i, j] * a[i, j];
                }
            if (!(off > 1e-30 * total)) break;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                }
            }
        }
        var result = new double[n];
        for (int i = 0; i < n; i++) result[i] = a[i, i];
        return result;
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Solves (H + μ·diag(d))·s = −g by Cholesky; false when the matrix is not positive definite.</summary>
    public static bool TrySolveCholesky(double[,] h, double[] g, double mu, double[]? d, out double[] s)
    {
        int n = g.Length;
        var l = new double[n, n];
        s = new double[n];
        for (int j = 0; j < n; j++)
        {
            double sum = h[j, j] + (d is null ? 0 : mu * d[j]);
            for (int k = 0; k < j; k++) sum -= l[j, k] * l[j, k];
            if (!(sum > 0) || !double.IsFinite(sum)) return false;
            l[j, j] = Math.Sqrt(sum);
            for (int i = j + 1; i < n; i++)
            {
                double v = h[i, j];
                for (int k = 0; k < j; k++) v -= l[i, k] * l[j, k];
                l[i, j] = v / l[j, j];
            }
        }
        // L·y = −g, then Lᵀ·s = y.
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double v = -g[i];
            for (int k = 0; k < i; k++) v -= l[i, k] * y[k];
            y[i] = v / l[i, i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double v = y[i];
            for (int k = i + 1; k < n; k++) v -= l[k, i] * s[k];
            s[i] = v / l[i, i];
        }
        return s.All(double.IsFinite);
    }

    /// <summary>
    /// Conjugate gradient on H·s = −g with Hessian-vector products (the reference's <c>method: cg</c>),
    /// stopping when the residual is negligible or a direction of non-positive curvature appears.
    /// </summary>
    public static double[] ConjugateGradient(double[,] h, double[] g)
    {
        int n = g.Length;
        var x = new double[n];
        var r = new double[n];
        var p = new double[n];
        var hp = new double[n];
        for (int i = 0; i < n; i++) { r[i] = -g[i]; p[i] = r[i]; }
        double rr = Dot(r, r);
        double stop = 1e-28 * Math.Max(rr, double.Epsilon);
        for (int it = 0; it < 10 * n && rr > stop; it++)
        {
            for (int i = 0; i < n; i++)
            {
                double v = 0;
                for (int j = 0; j < n; j++) v += h[i, j] * p[j];
                hp[i] = v;
            }
            double curvature = Dot(p, hp);
            if (!(curvature > 0)) return it == 0 ? [.. r.Select(v => v * double.NaN)] : x;
            double a = rr / curvature;
            for (int i = 0; i < n; i++) { x[i] += a * p[i]; r[i] -= a * hp[i]; }
            double rrNew = Dot(r, r);
            double beta = rrNew / rr;
            for (int i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
            rr = rrNew;
        }
        return x;
    }
}
