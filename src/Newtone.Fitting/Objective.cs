
namespace Newtone.Fitting;

/// <summary>
/// The training objective of docs/model.md §2 over a <see cref="TrainingSet"/>, evaluated for any number of θ
/// at once on any subset of frames. Each (θ, frame) pair is a job; jobs run four (256-bit) or eight (512-bit) to a SIMD pack and
/// packs run in parallel. Sums are reduced in a fixed order, so results do not depend on scheduling.
/// Memory use is independent of the audio length beyond the audio itself.
/// </summary>
public sealed class Objective
{
    private readonly TrainingSet _data;
    private readonly double _sign;

    /// <summary>Creates the objective.</summary>
    public Objective(TrainingSet data, ParameterSpace space, ObjectiveMode mode = ObjectiveMode.Forward, int delay = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        if (delay >= data.Layout.FrameLength) throw new ArgumentOutOfRangeException(nameof(delay), delay, "delay must be shorter than a frame");
        _data = data;
        Space = space;
        Mode = mode;
        Delay = delay;
        _sign = mode == ObjectiveMode.Forward ? 1.0 : -1.0;
    }

    /// <summary>The parameter space (ranges).</summary>
    public ParameterSpace Space { get; }

    /// <summary>Forward or inverse.</summary>
    public ObjectiveMode Mode { get; }

    /// <summary>Look-ahead delay d in samples.</summary>
    public int Delay { get; }

    /// <summary>The frames.</summary>
    public TrainingSet Data => _data;

    /// <summary>Worker threads (default: all processors).</summary>
    public int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The widest vector kernel this processor runs natively, chosen once at start-up: 512 (eight lanes of
    /// <see cref="System.Runtime.Intrinsics.Vector512{T}"/>) where 512-bit vectors are hardware-accelerated, else 256.
    /// </summary>
    internal static int DefaultVectorBits { get; } = ObjectiveKernel512.IsSupported ? 512 : 256;

    /// <summary>The kernel width in bits, 256 or 512 (default <see cref="DefaultVectorBits"/>); selectable for tests and benchmarks.</summary>
    internal int VectorBits
    {
        get => _vectorBits;
        set
        {
            if (value is not (256 or 512)) throw new ArgumentOutOfRangeException(nameof(value), value, "the kernel width is 256 or 512 bits");
            if (value == 512 && !ObjectiveKernel512.IsSupported) throw new PlatformNotSupportedException("512-bit vectors are not accelerated on this processor");
            _vectorBits = value;
        }
    }

    private int _vectorBits = DefaultVectorBits;

    /// <summary>Number of loss-only and derivative evaluations so far (per θ and frame set).</summary>
    public long LossEvaluations { get; private set; }

    /// <summary>Number of loss+gradient+Hessian evaluations so far (one per θ).</summary>
    public long DerivativeEvaluations { get; private set; }

    /// <summary>Wall time spent in loss+gradient+Hessian evaluations.</summary>
    public TimeSpan DerivativeTime { get; private set; }

    /// <summary>Loss of each θ over <paramref name="frames"/> (indices into the frame list; null: all frames).</summary>
    public LossResult[] Loss(IReadOnlyList<Theta> thetas, IReadOnlyList<int>? frames = null)
    {
        var sums = Run(thetas, frames, ObjectiveKernel.LossSums, derivatives: false);
        LossEvaluations += thetas.Count;
        var results = new LossResult[thetas.Count];
        for (int i = 0; i < thetas.Count; i++)
        {
            var s = sums.AsSpan(i * ObjectiveKernel.LossSums);
            results[i] = new LossResult(s[0], s[1], s[2], s[3], ScaleOf(thetas[i]));
        }
        return results;
    }

    /// <summary>Loss of one θ over all frames.</summary>
    public LossResult Loss(Theta theta) => Loss([theta])[0];

    /// <summary>Loss, gradient and Hessian of each θ over <paramref name="frames"/> (null: all frames).</summary>
    public SecondOrder[] Derivatives(IReadOnlyList<Theta> thetas, IReadOnlyList<int>? frames = null)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        bool opto = IsOpto(thetas);   // docs/model.md §11.2
        int width = opto ? OptoKernel.DerivativeSums : ObjectiveKernel.DerivativeSums;
        var sums = Run(thetas, frames, width, derivatives: true);
        DerivativeTime += System.Diagnostics.Stopwatch.GetElapsedTime(start);
        DerivativeEvaluations += thetas.Count;
        var results = new SecondOrder[thetas.Count];
        for (int i = 0; i < thetas.Count; i++)
            results[i] = opto ? OptoObjective.Assemble(sums.AsSpan(i * width, width), ScaleOf(thetas[i]), _sign)
                : Assemble(sums.AsSpan(i * width, width), ScaleOf(thetas[i]));
        return results;
    }

    /// <summary>Loss, gradient and Hessian of one θ over all frames.</summary>
    public SecondOrder Derivatives(Theta theta) => Derivatives([theta])[0];

    private double ScaleOf(Theta theta) => Math.Exp(_sign * Decibels.NepersPerDecibel * theta.MakeUp);

    /// <summary>
    /// From the kernel's sums to L, g and H (y = m·P[z], m = amp(e·M), r = y − ρ):
    /// <code>
    ///   L = Σr²
    ///   ∂L/∂p_i = 2m Σ r·P∂_i z                ∂L/∂M = 2ek Σ r·y
    ///   ∂²L/∂p_i∂p_j = 2m² Σ P∂_i z·P∂_j z + 2m Σ r·P∂²_ij z
    ///   ∂²L/∂M∂p_i = 2ekm (Σ y·P∂_i z + Σ r·P∂_i z)
    ///   ∂²L/∂M² = 2k² (Σ y² + Σ r·y)
    /// </code>
    /// </summary>
    private SecondOrder Assemble(ReadOnlySpan<double> s, double m)
    {
        const double k = Decibels.NepersPerDecibel;
        double e = _sign;
        var result = new SecondOrder { Sums = new LossResult(s[0], s[2], s[1], s[3], m) };
        var g = result.Gradient;
        var h = result.Hessian;
        for (int i = 0; i < 4; i++) g[i] = 2 * m * s[4 + i];
        g[4] = 2 * e * k * s[1];
        int pair = 0;
        for (int i = 0; i < 4; i++)
        {
            for (int j = i; j < 4; j++, pair++)
            {
                double v = 2 * m * m * s[12 + pair] + 2 * m * s[22 + pair];
                h[i, j] = v;
                h[j, i] = v;
            }
            double mi = 2 * e * k * m * (s[8 + i] + s[4 + i]);
            h[i, 4] = mi;
            h[4, i] = mi;
        }
        h[4, 4] = 2 * k * k * (s[2] + s[1]);
        return result;
    }

    private static bool IsOpto(IReadOnlyList<Theta> thetas) => thetas.Count > 0 && thetas.Any(t => t.Opto is not null);

    private double[] Run(IReadOnlyList<Theta> thetas, IReadOnlyList<int>? frames, int width, bool derivatives)
    {
        if (IsOpto(thetas)) return OptoObjective.Run(_data, Space, thetas, frames, derivatives, Mode, Delay, MaxThreads, _sign);
        int frameCount = frames?.Count ?? _data.Frames.Count;
        if (frameCount == 0) throw new InvalidOperationException("no frames to evaluate");
        var constants = new LaneConstants[thetas.Count];
        for (int i = 0; i < thetas.Count; i++)
        {
            if (!thetas[i].IsFinite) throw new ArgumentException($"θ is not finite: {thetas[i]}");
            constants[i] = new LaneConstants(Space, thetas[i], _sign);
        }
        int jobs = thetas.Count * frameCount;
        if (_vectorBits == 512 && !derivatives && thetas.Count >= ObjectiveKernel512.Lanes)
            return RunSharedFrames(constants, frames, frameCount);
        var packs = Packs(jobs, _vectorBits == 512, Math.Max(1, MaxThreads));
        // Sums of every job in job order; only the last pack may run lanes past the last job (room for them at the end).
        var jobSums = new double[(jobs + ObjectiveKernel512.Lanes) * width];

        void RunPack(int pack)
        {
            var (first, wide) = packs[pack];
            int lanes = wide ? ObjectiveKernel512.Lanes : ObjectiveKernel.Lanes;
            var kp = new KernelPack
            {
                Theta = new LaneConstants[lanes],
                Input = new float[lanes][],
                Target = new float[lanes][],
                Start = new int[lanes],
                FrameLength = _data.Layout.FrameLength,
                Overlap = _data.Layout.Overlap,
                Delay = Delay,
            };
            for (int l = 0; l < lanes; l++)
            {
                // Lanes past the last job repeat the pack's first job; their sums are ignored.
                int job = first + l;
                if (job >= jobs) job = first;
                int ti = job / frameCount, fi = job % frameCount;
                var frame = _data.Frames[frames?[fi] ?? fi];
                kp.Theta[l] = constants[ti];
                kp.Input[l] = _data.Input[frame.Channel];
                kp.Target[l] = _data.Target[frame.Channel];
                kp.Start[l] = frame.Start;
            }
            var dst = jobSums.AsSpan(first * width, lanes * width);
            switch (wide, derivatives, Mode)
            {
                case (false, true, ObjectiveMode.Forward): ObjectiveKernel.Derivatives<ForwardMode>(kp, dst); break;
                case (false, true, ObjectiveMode.Inverse): ObjectiveKernel.Derivatives<InverseMode>(kp, dst); break;
                case (false, false, ObjectiveMode.Forward): ObjectiveKernel.Loss<ForwardMode>(kp, dst); break;
                case (false, false, _): ObjectiveKernel.Loss<InverseMode>(kp, dst); break;
                case (true, true, ObjectiveMode.Forward): ObjectiveKernel512.Derivatives<ForwardMode>(kp, dst); break;
                case (true, true, ObjectiveMode.Inverse): ObjectiveKernel512.Derivatives<InverseMode>(kp, dst); break;
                case (true, false, ObjectiveMode.Forward): ObjectiveKernel512.Loss<ForwardMode>(kp, dst); break;
                default: ObjectiveKernel512.Loss<InverseMode>(kp, dst); break;
            }
        }

        RunAll(packs.Count, RunPack);

        // Reduce job sums per θ in job order: deterministic whatever the scheduling.
        var result = new double[thetas.Count * width];
        for (int job = 0; job < jobs; job++)
        {
            int ti = job / frameCount;
            var src = jobSums.AsSpan(job * width, width);
            var dst = result.AsSpan(ti * width, width);
            for (int q = 0; q < width; q++) dst[q] += src[q];
        }
        return result;
    }

    /// <summary>
    /// Loss sums of many θ (at least eight) at 512 bits: each pack runs eight θ on one frame, sharing the detector
    /// (<see cref="ObjectiveKernel512.LossOneFrame{TMode}"/>). The sums of each (θ, frame) job are those of the
    /// one-frame-per-lane kernels, reduced per θ in the same frame order.
    /// </summary>
    private double[] RunSharedFrames(LaneConstants[] constants, IReadOnlyList<int>? frames, int frameCount)
    {
        const int L = ObjectiveKernel512.Lanes, width = ObjectiveKernel.LossSums;
        int count = constants.Length, groups = (count + L - 1) / L;
        var jobSums = new double[count * frameCount * width];

        void RunPack(int pack)
        {
            int group = pack / frameCount, fi = pack % frameCount;
            var frame = _data.Frames[frames?[fi] ?? fi];
            var kp = new KernelPack
            {
                Theta = new LaneConstants[L],
                Input = new float[L][],
                Target = new float[L][],
                Start = new int[L],
                FrameLength = _data.Layout.FrameLength,
                Overlap = _data.Layout.Overlap,
                Delay = Delay,
            };
            for (int l = 0; l < L; l++)
            {
                // Lanes past the last θ repeat the group's first θ; their sums are ignored.
                int ti = group * L + l;
                kp.Theta[l] = constants[ti < count ? ti : group * L];
                kp.Input[l] = _data.Input[frame.Channel];
                kp.Target[l] = _data.Target[frame.Channel];
                kp.Start[l] = frame.Start;
            }
            Span<double> lanes = stackalloc double[L * width];
            if (Mode == ObjectiveMode.Forward) ObjectiveKernel512.LossOneFrame<ForwardMode>(kp, lanes);
            else ObjectiveKernel512.LossOneFrame<InverseMode>(kp, lanes);
            for (int l = 0; l < L && group * L + l < count; l++)
                lanes.Slice(l * width, width).CopyTo(jobSums.AsSpan(((group * L + l) * frameCount + fi) * width, width));
        }

        int packs = groups * frameCount;
        RunAll(packs, RunPack);

        var result = new double[count * width];
        for (int job = 0; job < count * frameCount; job++)
        {
            var src = jobSums.AsSpan(job * width, width);
            var dst = result.AsSpan(job / frameCount * width, width);
            for (int q = 0; q < width; q++) dst[q] += src[q];
        }
        return result;
    }

    /// <summary>
    /// Runs packs 0 … <paramref name="count"/> − 1 on up to <see cref="MaxThreads"/> threads, each thread taking the next
    /// pack whenever it finishes one. The packs come eight-lane first, so the cheaper four-lane packs fill in at the end
    /// (Parallel.For over the packs would first hand each thread a fixed half of the range, one of them the heavier).
    /// </summary>
    private void RunAll(int count, Action<int> run)
    {
        int workers = Math.Min(Math.Max(1, MaxThreads), count);
        if (workers <= 1)
        {
            for (int i = 0; i < count; i++) run(i);
            return;
        }
        int next = -1;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) run(i);
        });
    }

    /// <summary>
    /// Measured cost of a four-lane pack relative to an eight-lane one on a processor with 512-bit vectors (this EPYC: the
    /// four-lane kernels take about 1.1× (loss, gradient and Hessian) to 1.3× (loss) as long per lane).
    /// </summary>
    private const double NarrowPackCost = 0.65;

    /// <summary>
    /// The packs of a run, each as its first job and whether it is an eight-lane (512-bit) one: consecutive jobs, so
    /// only the last pack can run past the last job. At 512 bits, the jobs left over after whole eight-lane packs shared
    /// evenly among the threads go into four-lane packs when that finishes sooner (54 frames on 2 threads: 3 eight-lane
    /// packs and 1 four-lane pack each, instead of 4 and 3 eight-lane packs). Which lanes a job runs on does not
    /// change its sums: every lane computes the same operations.
    /// </summary>
    private static List<(int First, bool Wide)> Packs(int jobs, bool wide, int threads)
    {
        var packs = new List<(int, bool)>();
        if (!wide)
        {
            for (int first = 0; first < jobs; first += ObjectiveKernel.Lanes) packs.Add((first, false));
            return packs;
        }
        const int W = ObjectiveKernel512.Lanes, N = ObjectiveKernel.Lanes;
        int allWide = (jobs + W - 1) / W;
        int balanced = jobs / W / threads * threads;
        int narrow = (jobs - balanced * W + N - 1) / N;
        double wideCost = Math.Ceiling((double)allWide / threads);
        double mixedCost = balanced / threads + Math.Ceiling((double)narrow / threads) * NarrowPackCost;
        int wideCount = mixedCost < wideCost ? balanced : allWide;
        for (int p = 0; p < wideCount; p++) packs.Add((p * W, true));
        for (int first = wideCount * W; first < jobs; first += N) packs.Add((first, false));
        return packs;
    }
}
