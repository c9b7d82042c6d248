using Google.Protobuf;
using Onnx;

namespace Newtone.Study;

/// <summary>
/// Exports the GRU make-up gain as an ONNX model for real-time hosts. The hidden state is an explicit input
/// and output, so a host streams block by block: feed <c>state_out</c> of one block as <c>state_in</c> of the
/// next (zeros to reset). Graph: audio [batch, time, 1] → Transpose → GRU (hidden 8, linear_before_reset = 1,
/// PyTorch's convention; ONNX gate order z, r, h) → Squeeze → MatMul + Add (the Linear layer) → Transpose → + audio.
/// Also writes the weights as JSON under PyTorch's state_dict names, for people who continue in Python.
/// </summary>
public static class OnnxExport
{
    /// <summary>Model name recorded in the ONNX metadata.</summary>
    public const string ModelName = "GRU for 4A-2A";

    /// <summary>
    /// Builds the ONNX model for audio at <paramref name="sampleRate"/> Hz, the rate the model was trained at
    /// (<see cref="GruCheckpoint.SampleRate"/>), recorded in the metadata as <c>sample_rate</c>.
    /// </summary>
    public static ModelProto Build(GruModel m, int sampleRate = GruCheckpoint.DefaultSampleRate)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var ic = System.Globalization.CultureInfo.InvariantCulture;
        const int H = GruModel.Hidden;
        var g = new GraphProto { Name = "newtone_gru" };
        g.Input.Add(Value("audio", ["batch", "time", 1]));
        g.Input.Add(Value("state_in", [1, "batch", H]));
        g.Output.Add(Value("audio_out", ["batch", "time", 1]));
        g.Output.Add(Value("state_out", [1, "batch", H]));

        // PyTorch blocks (r, z, n) → ONNX blocks (z, r, h).
        int[] order = [1, 0, 2];
        var w = new float[3 * H];
        var r = new float[3 * H * H];
        var b = new float[6 * H];
        for (int ob = 0; ob < 3; ob++)
        {
            int pb = order[ob];
            for (int k = 0; k < H; k++)
            {
                w[ob * H + k] = (float)m.Wih(pb * H + k);
                for (int j = 0; j < H; j++) r[(ob * H + k) * H + j] = (float)m.Whh(pb * H + k, j);
                b[ob * H + k] = (float)m.Bih(pb * H + k);
                b[3 * H + ob * H + k] = (float)m.Bhh(pb * H + k);
            }
        }
        g.Initializer.Add(Tensor("W", [1, 3 * H, 1], w));
        g.Initializer.Add(Tensor("R", [1, 3 * H, H], r));
        g.Initializer.Add(Tensor("B", [1, 6 * H], b));
        g.Initializer.Add(Tensor("lin_w", [H, 1], Enumerable.Range(0, H).Select(k => (float)m.LinW(k)).ToArray()));
        g.Initializer.Add(Tensor("lin_b", [1], [(float)m.LinB]));
        var axes = new TensorProto { Name = "axis1", DataType = (int)TensorProto.Types.DataType.Int64 };
        axes.Dims.Add(1);
        axes.Int64Data.Add(1);
        g.Initializer.Add(axes);

        g.Node.Add(Node("Transpose", ["audio"], ["x_tb"], Ints("perm", [1, 0, 2])));
        var gru = Node("GRU", ["x_tb", "W", "R", "B", "", "state_in"], ["y", "state_out"],
            Int("hidden_size", H), Int("linear_before_reset", 1));
        gru.Attribute.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("forward") });
        g.Node.Add(gru);
        g.Node.Add(Node("Squeeze", ["y", "axis1"], ["h_seq"]));
        g.Node.Add(Node("MatMul", ["h_seq", "lin_w"], ["lin"]));
        g.Node.Add(Node("Add", ["lin", "lin_b"], ["correction_tb"]));
        g.Node.Add(Node("Transpose", ["correction_tb"], ["correction"], Ints("perm", [1, 0, 2])));
        g.Node.Add(Node("Add", ["audio", "correction"], ["audio_out"]));

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Newtone",
            ProducerVersion = FitJob.Version,
            DocString = string.Create(ic, $"Residual GRU make-up gain for the 4A-2A compressor emulation (Yu & Fazekas 2025): mono in/out at {sampleRate} Hz ") +
                "(the rate it was trained at), any block size; pass state_out of one block as state_in of the next, zeros to reset; " +
                "skip blocks of zero samples.",
            Graph = g,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 14 });
        foreach (var (k, v) in new[] { ("name", ModelName), ("tags", "LA-2A, GRU, Compressor"), ("sample_rate", sampleRate.ToString(ic)), ("hidden_size", H.ToString(ic)) })
            model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }

    /// <summary>Writes the ONNX model for audio at <paramref name="sampleRate"/> Hz (see <see cref="Build"/>) atomically.</summary>
    public static void Save(GruModel m, string path, int sampleRate = GruCheckpoint.DefaultSampleRate)
    {
        var model = Build(m, sampleRate);
        AtomicFile.Write(path, s => model.WriteTo(s));
    }

    /// <summary>
    /// The weights as JSON: <c>{"sample_rate": Hz, "state_dict": {name: {"shape": [...], "data": nested lists}}, ...}</c>, with the
    /// sample rate the model was trained at (<paramref name="sampleRate"/>): feed it audio at that rate.
    /// </summary>
    public static string WeightsJson(GruModel m, int sampleRate = GruCheckpoint.DefaultSampleRate)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var dict = new Dictionary<string, object>();
        foreach (var (name, shape, offset) in GruModel.Tensors)
        {
            object data = shape.Length == 1
                ? m.Parameters.AsSpan(offset, shape[0]).ToArray()
                : Enumerable.Range(0, shape[0]).Select(i => m.Parameters.AsSpan(offset + i * shape[1], shape[1]).ToArray()).ToArray();
            dict[name] = new Dictionary<string, object> { ["shape"] = shape, ["data"] = data };
        }
        var root = new Dictionary<string, object>
        {
            ["model"] = ModelName,
            ["input_size"] = 1,
            ["hidden_size"] = GruModel.Hidden,
            ["sample_rate"] = sampleRate,
            ["architecture"] = "rec = torch.nn.GRU(1, 8, batch_first=True); lin = torch.nn.Linear(8, 1); " +
                "x: float32 [batch, time, 1] at sample_rate; h, _ = rec(x) (zero initial state); out = x + lin(h)",
            ["state_dict"] = dict,
        };
        return System.Text.Json.JsonSerializer.Serialize(root, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static ValueInfoProto Value(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = $"{op}_{outputs[0]}" };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }

    private static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    private static AttributeProto Ints(string name, long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
}
