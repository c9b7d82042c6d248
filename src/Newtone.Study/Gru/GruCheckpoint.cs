using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.Study;

/// <summary>
/// A GRU checkpoint (one JSON file, written atomically): the weights under PyTorch's state_dict names,
/// Adam's state, the epoch, the losses, the options, and what is needed to resume exactly (the rows'
/// cumulative circular shifts, the early-stopping counter).
/// </summary>
public sealed record GruCheckpoint
{
    /// <summary>Format tag.</summary>
    public string Format { get; init; } = "newtone-gru/1";

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

    /// <summary>Reads a checkpoint (errors name the file).</summary>
    public static GruCheckpoint Load(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, "best.json");
        if (!File.Exists(path)) throw new InputException($"{path}: checkpoint not found");
        try
        {
            var c = JsonSerializer.Deserialize<GruCheckpoint>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
            if (c.HiddenSize != GruModel.Hidden) throw new InputException($"{path}: hidden size {c.HiddenSize}; Newtone's GRU has {GruModel.Hidden}");
            _ = c.Model();
            return c;
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
