namespace Newtone.Fitting;

/// <summary>
/// The opto model's side of <see cref="Objective"/> (docs/model.md §11.2): packs (θ, frame) jobs four to an
/// <see cref="OptoKernelPack"/>, runs the packs in parallel, reduces in job order (deterministic) and assembles the
/// 10-component gradient and 10×10 Hessian from the kernel's sums.
/// </summary>
internal static class OptoObjective
{
    /// <summary>Per-θ sums of <see cref="OptoKernel"/> over the frames (null: all), reduced in job order.</summary>
    public static double[] Run(TrainingSet data, ParameterSpace space, IReadOnlyList<Theta> thetas, IReadOnlyList<int>? frames,
        bool derivatives, ObjectiveMode mode, int delay, int maxThreads, double sign)
    {
        int width = derivatives ? OptoKernel.DerivativeSums : OptoKernel.LossSums;
        int frameCount = frames?.Count ?? data.Frames.Count;
        if (frameCount == 0) throw new InvalidOperationException("no frames to evaluate");
        if (space.Opto is null) throw new ArgumentException("an opto θ needs a parameter space with opto ranges");
        var constants = new OptoLaneConstants[thetas.Count];
        for (int i = 0; i < thetas.Count; i++)
        {
            if (thetas[i].Opto is null) throw new ArgumentException("ff5 and opto θ cannot be evaluated together");
            if (!thetas[i].IsFinite) throw new ArgumentException($"θ is not finite: {thetas[i]}");
            constants[i] = new OptoLaneConstants(space, thetas[i], sign);
        }
        const int lanes = OptoKernelPack.Lanes;
        int jobs = thetas.Count * frameCount;
        int packs = (jobs + lanes - 1) / lanes;
        var packSums = new double[packs * lanes * width];

        void RunPack(int pack)
        {
            var kp = new OptoKernelPack
            {
                Theta = new OptoLaneConstants[lanes],
                Input = new float[lanes][],
                Target = new float[lanes][],
                Start = new int[lanes],
                FrameLength = data.Layout.FrameLength,
                Overlap = data.Layout.Overlap,
                Delay = delay,
            };
            for (int l = 0; l < lanes; l++)
            {
                // Lanes past the last job repeat the pack's first job; their sums are ignored.
                int job = pack * lanes + l;
                if (job >= jobs) job = pack * lanes;
                int ti = job / frameCount, fi = job % frameCount;
                var frame = data.Frames[frames?[fi] ?? fi];
                kp.Theta[l] = constants[ti];
                kp.Input[l] = data.Input[frame.Channel];
                kp.Target[l] = data.Target[frame.Channel];
                kp.Start[l] = frame.Start;
            }
            var dst = packSums.AsSpan(pack * lanes * width, lanes * width);
            switch (derivatives, mode)
            {
                case (true, ObjectiveMode.Forward): OptoKernel.Derivatives<ForwardMode>(kp, dst); break;
                case (true, ObjectiveMode.Inverse): OptoKernel.Derivatives<InverseMode>(kp, dst); break;
                case (false, ObjectiveMode.Forward): OptoKernel.Loss<ForwardMode>(kp, dst); break;
                default: OptoKernel.Loss<InverseMode>(kp, dst); break;
            }
        }

        if (packs == 1 || maxThreads <= 1)
            for (int i = 0; i < packs; i++) RunPack(i);
        else
            Parallel.For(0, packs, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, RunPack);

        var result = new double[thetas.Count * width];
        for (int job = 0; job < jobs; job++)
        {
            int ti = job / frameCount;
            var src = packSums.AsSpan(job * width, width);
            var dst = result.AsSpan(ti * width, width);
            for (int q = 0; q < width; q++) dst[q] += src[q];
        }
        return result;
    }

    /// <summary>
    /// L, g and H over θ = (T, uR, ua, ur, M, uW, uφ, uc, us, uκ) from the kernel's sums, as docs/model.md §3(f) with the
    /// kernel's nine parameters mapped to their θ components (<see cref="OptoKernel.ThetaIndex"/>).
    /// </summary>
    public static SecondOrder Assemble(ReadOnlySpan<double> s, double m, double e)
    {
        const double k = Decibels.NepersPerDecibel;
        const int n = OptoKernel.Parameters, a = 4, b = 4 + n, c = 4 + 2 * n, hh = c + OptoKernel.Pairs;
        var map = OptoKernel.ThetaIndex;
        var result = new SecondOrder(Theta.OptoCount) { Sums = new LossResult(s[0], s[2], s[1], s[3], m) };
        var g = result.Gradient;
        var h = result.Hessian;
        for (int i = 0; i < n; i++) g[map[i]] = 2 * m * s[a + i];
        g[4] = 2 * e * k * s[1];
        int pair = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++, pair++)
            {
                double v = 2 * m * m * s[c + pair] + 2 * m * s[hh + pair];
                h[map[i], map[j]] = v;
                h[map[j], map[i]] = v;
            }
            double mi = 2 * e * k * m * (s[b + i] + s[a + i]);
            h[map[i], 4] = mi;
            h[4, map[i]] = mi;
        }
        h[4, 4] = 2 * k * k * (s[2] + s[1]);
        return result;
    }
}
