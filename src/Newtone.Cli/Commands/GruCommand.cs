using System.CommandLine;
using System.Globalization;
using Newtone.Cli.Terminal;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone gru train|render|export</c>: the GRU make-up gain of docs/model.md §7.</summary>
internal static class GruCommand
{
    public static Command Create()
    {
        var cmd = new Command("gru", "The GRU make-up gain: train it on rendered audio, render with it, export it for real-time hosts.");
        cmd.Subcommands.Add(Train());
        cmd.Subcommands.Add(Render());
        cmd.Subcommands.Add(Export());
        return cmd;
    }

    private static Command Train()
    {
        var source = new Option<string>("--source") { Description = "Rendered tree (compressor output without make-up)", Required = true };
        var target = new Option<string>("--target") { Description = "Dataset root with the targets at the same relative paths", Required = true };
        var pattern = new Option<string>("--pattern") { Description = "Use files whose name contains this", DefaultValueFactory = _ => "3c" };
        var minSeconds = new Option<double>("--min-seconds") { Description = "Use files longer than this", DefaultValueFactory = _ => 600 };
        var outDir = new Option<string>("--out", "-o") { Description = "Checkpoint folder (best.json, last.json); an existing last.json is resumed", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Epoch limit", DefaultValueFactory = _ => 50 };
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without improvement", DefaultValueFactory = _ => 5 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 5e-3 };
        var chunk = new Option<int>("--chunk") { Description = "Chunk length for truncated back-propagation", DefaultValueFactory = _ => 12288 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initialisation and the shifts", DefaultValueFactory = _ => 0 };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Per-epoch lines only" };
        var cmd = new Command("train", "Train the GRU (docs/model.md §7): circular shifts, chunks, truncated BPTT, pre-filtered ESR loss, Adam; resumable.")
        {
            source, target, pattern, minSeconds, outDir, epochs, patience, lr, chunk, seed, quiet,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            var o = new GruTrainingOptions
            {
                Epochs = Positive(parse.GetValue(epochs), "--epochs"),
                Patience = Positive(parse.GetValue(patience), "--patience"),
                LearningRate = parse.GetValue(lr) is > 0 and var l ? l : throw new ConfigException("--lr: must be positive"),
                Chunk = Positive(parse.GetValue(chunk), "--chunk"),
                Seed = parse.GetValue(seed),
            };
            RunTrain(parse.GetValue(source)!, parse.GetValue(target)!, parse.GetValue(pattern)!, parse.GetValue(minSeconds), parse.GetValue(outDir)!, o,
                parse.GetValue(quiet), Console.Out, cancel);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static int Positive(int v, string name) => v > 0 ? v : throw new ConfigException($"{name}: must be positive");

    public static GruCheckpoint RunTrain(string source, string target, string pattern, double minSeconds, string outDir, GruTrainingOptions o,
        bool quiet, TextWriter w, CancellationToken cancel)
    {
        w.WriteLine($"loading rows from {source} (names containing '{pattern}', longer than {minSeconds:G} s) and targets from {target}");
        var data = GruTrainer.LoadRows(source, target, pattern, minSeconds, quiet ? null : new LineProgress(w));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.Inputs.Length} rows × {data.Length} samples ({data.Length / (double)data.SampleRate:F1} s); seed {o.Seed}"));
        var result = GruTrainer.Train(data, o, outDir, new Observer(w, quiet), cancel);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best loss (ESR) {100 * result.BestLoss:F4} % at epoch {result.BestEpoch}; model: {Path.Combine(outDir, GruTrainer.BestFile)} (for audio at {result.SampleRate} Hz)"));
        return result;
    }

    private sealed class Observer(TextWriter w, bool quiet) : IProgress<GruTrainingEvent>
    {
        private readonly bool _interactive = w == Console.Out && !Console.IsOutputRedirected;

        public void Report(GruTrainingEvent e)
        {
            switch (e)
            {
                case GruTrainingMessage m: w.WriteLine(m.Text); break;
                case GruChunkReport c: Chunk(c.Epoch, c.Chunk, c.Chunks, c.Loss, c.RunningMean); break;
                case GruEpochReport r: Epoch(r); break;
            }
        }

        private void Chunk(int epoch, int chunk, int chunks, double loss, double running)
        {
            if (quiet) return;
            string line = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} chunk {chunk}/{chunks}: ESR {100 * loss:F4} %, running mean {100 * running:F4} %");
            if (_interactive) w.Write("\r" + line + "   ");
            else if (chunk == chunks || chunk % Math.Max(1, chunks / 10) == 0) w.WriteLine(line);
        }

        private void Epoch(GruEpochReport r)
        {
            if (_interactive && !quiet) w.WriteLine();
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {r.Epoch}: loss (ESR) {100 * r.Loss:F4} %{(r.Improved ? " (best, checkpoint kept)" : "")}, best {100 * r.BestLoss:F4} %, {r.Seconds:F1} s, {r.SamplesPerSecond / 1e6:F1} M samples/s"));
        }
    }

    private static Command Render()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (best.json, or its folder)", Required = true };
        var source = new Option<string>("--source") { Description = "Rendered tree to correct", Required = true };
        var pattern = new Option<string>("--pattern") { Description = "Files whose name contains this", DefaultValueFactory = _ => "3c__0" };
        var outDir = new Option<string>("--out", "-o") { Description = "Output tree (mirrors --source)", Required = true };
        var cmd = new Command("render", "Run the GRU over whole files (state carried through each file) into a mirrored tree.") { model, source, pattern, outDir };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            var checkpoint = GruCheckpoint.Load(parse.GetValue(model)!);
            var jobs = GruRenderer.Plan(parse.GetValue(source)!, parse.GetValue(outDir)!, parse.GetValue(pattern)!);
            if (jobs.Count == 0) throw new InputException($"{parse.GetValue(source)}: no WAV file whose name contains '{parse.GetValue(pattern)}'");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long samples = GruRenderer.Render(checkpoint, jobs, new Files(Console.Out), cancel: cancel);   // refuses other sample rates first
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rendered {jobs.Count} file(s), {samples / 1e6:F1} M samples in {clock.Elapsed.TotalSeconds:F1} s"));
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static Command Export()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (best.json, or its folder)", Required = true };
        var onnx = new Option<string>("--onnx") { Description = "ONNX file to write", Required = true };
        var json = new Option<string?>("--json") { Description = "Also write the weights as JSON under PyTorch's state_dict names" };
        var cmd = new Command("export", "Export the GRU as ONNX (hidden state as explicit input/output) and optionally as PyTorch-named JSON weights.") { model, onnx, json };
        cmd.SetAction(parse => CommandRunner.Run(_ =>
        {
            var checkpoint = GruCheckpoint.Load(parse.GetValue(model)!);
            var m = checkpoint.Model();
            OnnxExport.Save(m, parse.GetValue(onnx)!, checkpoint.SampleRate);
            Console.WriteLine($"wrote {parse.GetValue(onnx)} (audio at {checkpoint.SampleRate} Hz; inputs audio [batch, time, 1], state_in [1, batch, 8]; outputs audio_out, state_out)");
            if (parse.GetValue(json) is { } j)
            {
                AtomicFile.WriteText(j, OnnxExport.WeightsJson(m, checkpoint.SampleRate));
                Console.WriteLine($"wrote {j} (sample_rate {checkpoint.SampleRate}; state_dict: rec.weight_ih_l0, rec.weight_hh_l0, rec.bias_ih_l0, rec.bias_hh_l0, lin.weight, lin.bias)");
            }
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private sealed class Files(TextWriter w) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress p)
        {
            lock (w) w.WriteLine($"  wrote {p.Item}");
        }
    }
}
