
namespace Newtone.Tests;

/// <summary>Back-propagation through time against central finite differences of the double-precision loss.</summary>
public class GruGradientTests
{
    [Fact]
    public void GradientOfEveryWeightMatchesFiniteDifferences()
    {
        var rng = new Rng(5);
        const int rows = 6, length = 300;   // two SIMD groups, the second half full
        var inputs = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, length + 10).Select(_ => (float)(0.5 * rng.Gaussian())).ToArray()).ToArray();
        var targets = inputs.Select(x => x.Select(v => (float)(0.8 * Math.Tanh(2 * v) + 0.05 * rng.Gaussian())).ToArray()).ToArray();
        var h0 = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, GruModel.Hidden).Select(_ => rng.Uniform(-0.5, 0.5)).ToArray()).ToArray();
        var model = GruModel.Initialise(3);
        var batch = new GruBatch(rows, length);

        double Loss(GruModel m)
        {
            var h = h0.Select(r => (double[])r.Clone()).ToArray();
            return batch.Chunk(m, inputs, targets, 7, length, h, null);
        }

        var grad = new double[GruModel.Count];
        var h1 = h0.Select(r => (double[])r.Clone()).ToArray();
        double loss = batch.Chunk(model, inputs, targets, 7, length, h1, grad);
        Assert.Equal(Loss(model), loss, 14);

        const double step = 1e-6;
        double worst = 0;
        for (int i = 0; i < GruModel.Count; i++)
        {
            var plus = model.Clone(); plus.Parameters[i] += step;
            var minus = model.Clone(); minus.Parameters[i] -= step;
            double fd = (Loss(plus) - Loss(minus)) / (2 * step);
            double err = Math.Abs(fd - grad[i]) / Math.Max(Math.Abs(fd), 1e-3 * grad.Max(Math.Abs));
            worst = Math.Max(worst, err);
            Assert.True(err < 1e-6, $"parameter {i}: backprop {grad[i]:R}, finite difference {fd:R}");
        }
    }
}
