namespace Newtone.Study;

/// <summary>
/// Streams one channel of an input/target pair through any <see cref="CompressorModel"/> (the opto model of
/// docs/model.md §11 included) with its streaming processor and accumulates the whole-signal ESR
/// <c>Σ(P[y] − P[t])² / Σ P[t]²</c> (docs/model.md §2, §6): the same quantity as <see cref="EsrAccumulator"/>, which
/// runs four ff5 models per SIMD pass. The processor's latency is undone by delaying the target.
/// </summary>
internal sealed class ModelEsrAccumulator
{
    private readonly CompressorProcessor _processor;
    private readonly DelayLine<double> _ringT;
    private readonly int _delay;
    private long _seen;
    private double _yIn, _yOut, _tIn, _tOut, _err, _energy;
    private float[] _y = [];

    public ModelEsrAccumulator(CompressorModel model, int sampleRate)
    {
        _processor = new CompressorProcessor(model, sampleRate);
        _delay = _processor.LatencySamples;
        _ringT = new DelayLine<double>(_delay);
    }

    /// <summary>Feeds one block of input and target.</summary>
    public void Process(ReadOnlySpan<float> x, ReadOnlySpan<float> t)
    {
        int n = x.Length;
        if (_y.Length < n) _y = new float[n];
        var y = _y.AsSpan(0, n);
        _processor.Process(x, y);
        for (int i = 0; i < n; i++)
        {
            double tn = t[i];
            if (_delay > 0)
            {
                tn = _ringT.Push(tn);
                if (_seen + i < _delay) continue;   // latency: nothing to compare yet
            }
            Accumulate(y[i], tn);
        }
        _seen += n;
    }

    private void Accumulate(double y, double t)
    {
        double py = PreFilter.Step(y, ref _yIn, ref _yOut), pt = PreFilter.Step(t, ref _tIn, ref _tOut);
        _energy += pt * pt;
        _err += (py - pt) * (py - pt);
    }

    /// <summary>Finishes (the last d samples, with the gain padded to 1) and returns the error and the target's energy.</summary>
    public (double Error, double Energy) Finish()
    {
        int held = (int)Math.Min(_delay, _seen);
        if (held > 0)
        {
            var ys = new float[_delay];
            var ts = new double[held];
            _processor.Flush(ys);
            _ringT.Drain(ts, held);
            // A buffer shorter than the latency: the ring held zeros ahead of it, so its outputs are the last ones.
            for (int i = 0; i < held; i++) Accumulate(ys[_delay - held + i], ts[i]);
        }
        return (_err, _energy);
    }
}
