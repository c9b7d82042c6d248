using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.Study;

/// <summary>
/// A GRU checkpoint (one JSON file, written atomically): the weights under PyTorch's state_dict names,
/// Adam's state, the epoch, the losses, the options, and what is needed to resume exactly (the rows'
/// cumulative circular shifts, the early-stopping counter), and the sample rate it was trained at: the GRU is a
/// recurrence per sample, so it only means what it learnt at that rate (<see cref="ModelFor"/> refuses any other).
/// </summary>
public sealed record GruCheckpoint
{
    /// <summary>Format tag.</summary>
    public string Format { get; init; } = "newtone-gru/1";

    /// <summary>The sample rate assumed for checkpoints that do not record one: 44100 Hz, SignalTrain's rate.</summary>
    public const int DefaultSampleRate = 44100;

    /// <summary>Hidden size.</summary>
    public int HiddenSize { get; init; } = GruModel.Hidden;

    /// <summary>The weights.</summary>
    public required Dictionary<string, TensorJson> StateDict { get; init; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; init; }

    /// <summary>This epoch's loss (running mean of its chunk losses).</summary>
    public double Loss { get; init; } = double.NaN;

    /// <summary>Best epoch loss so far.</summary>
    public double BestLoss { get; init; } = double.PositiveInfinity;

    /// <summary>The epoch that reached it.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Epochs since the last improvement.</summary>
    public int EpochsWithoutImprovement { get; init; }

    /// <summary>True when training has stopped.</summary>
    public bool Finished { get; init; }

    /// <summary>Why it stopped ("epochs", "no improvement"), when finished.</summary>
    public string? StopReason { get; init; }

    /// <summary>Options.</summary>
    public required GruTrainingOptions Options { get; init; }

    /// <summary>Optimiser state.</summary>
    public AdamJson? Optimizer { get; init; }

    /// <summary>Cumulative circular shift of each row (samples).</summary>
    public long[] Shifts { get; init; } = [];

    /// <summary>The rows' names (relative paths).</summary>
    public string[] Rows { get; init; } = [];

    /// <summary>Samples per row.</summary>
    public long Samples { get; init; }

    /// <summary>
    /// The sample rate (Hz) of the audio the model was trained on (JSON <c>sample_rate</c>), written by training.
    /// Checkpoints written before Newtone recorded it load as 44100 Hz (<see cref="DefaultSampleRate"/>, SignalTrain's rate).
    /// </summary>
    public int SampleRate { get; init; } = DefaultSampleRate;

    /// <summary>The file this checkpoint was read from (<see cref="Load"/>), named in errors; null for one built in memory. Not stored.</summary>
    [JsonIgnore]
    internal string? LoadedFrom { get; init; }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },   // enums by name
    };

    /// <summary>The state_dict of a model.</summary>
    public static Dictionary<string, TensorJson> StateDictOf(GruModel m) =>
        GruModel.Tensors.ToDictionary(t => t.Name, t => new TensorJson(t.Shape, m.Parameters.AsSpan(t.Offset, t.Shape.Aggregate(1, (a, b) => a * b)).ToArray()));

    /// <summary>The model these weights describe.</summary>
    public GruModel Model()
    {
        var p = new double[GruModel.Count];
        foreach (var (name, shape, offset) in GruModel.Tensors)
        {
            if (!StateDict.TryGetValue(name, out var t)) throw new InputException($"checkpoint lacks {name}");
            if (!t.Shape.SequenceEqual(shape) || t.Values.Length != shape.Aggregate(1, (a, b) => a * b))
                throw new InputException($"checkpoint's {name} has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", shape)}]");
            t.Values.CopyTo(p, offset);
        }
        return new GruModel(p);
    }

    /// <summary>
    /// The model, for audio at <paramref name="sampleRate"/> Hz read from <paramref name="audioPath"/>; refuses any rate other than
    /// the one it was trained at with an <see cref="InputException"/> of one line:
    /// <c>&lt;checkpoint&gt;: trained at 44100 Hz; &lt;audio&gt; is 48000 Hz (resample the audio, or train at that rate)</c>.
    /// </summary>
    public GruModel ModelFor(int sampleRate, string audioPath)
    {
        if (sampleRate != SampleRate)
            throw new InputException(FormattableString.Invariant(
                $"{LoadedFrom ?? "GRU checkpoint"}: trained at {SampleRate} Hz; {audioPath} is {sampleRate} Hz (resample the audio, or train at that rate)"));
        return Model();
    }

    /// <summary>Reads a checkpoint (errors name the file); one without <c>sample_rate</c> reads as 44100 Hz.</summary>
    public static GruCheckpoint Load(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, "best.json");
        if (!File.Exists(path)) throw new InputException($"{path}: checkpoint not found");
        try
        {
            var c = JsonSerializer.Deserialize<GruCheckpoint>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
            if (c.HiddenSize != GruModel.Hidden) throw new InputException($"{path}: hidden size {c.HiddenSize}; Newtone's GRU has {GruModel.Hidden}");
            if (c.SampleRate <= 0) throw new InputException(FormattableString.Invariant($"{path}: sample_rate {c.SampleRate} is not a sample rate"));
            _ = c.Model();
            return c with { LoadedFrom = path };
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a Newtone GRU checkpoint ({e.Message})", e);
        }
        catch (InputException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InputException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Writes atomically.</summary>
    public void Save(string path) => AtomicFile.WriteText(path, JsonSerializer.Serialize(this, Json) + "\n");
}
