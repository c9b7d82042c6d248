
namespace Newtone.Tests;

/// <summary>
/// The kernel's loss against the plain reference implementation, and its gradient and Hessian
/// against central finite differences of that double-precision reference loss (SPEC §3).
/// </summary>
public class DerivativeTests
{
    private const int Sr = 16000;

    public static TheoryData<ObjectiveMode, int> Cases => new()
    {
        { ObjectiveMode.Forward, 0 },
        { ObjectiveMode.Forward, 7 },
        { ObjectiveMode.Inverse, 0 },
        { ObjectiveMode.Inverse, 7 },
    };

    private static (TrainingSet Data, ParameterSpace Space, Theta Theta) Problem()
    {
        var truth = new CompressorSettings(-22, 4.2, 3.0, 150, 0.5);
        var (x, y) = TestSignals.Pair(2.2, Sr, truth, seed: 11, noiseDbfs: -60);
        var data = TestSignals.Set(x, y, Sr, duration: 0.8, overlap: 0.1);
        var space = ParameterSpace.Default(Sr);
        // Away from the optimum, so that the gradient is not small.
        var theta = space.FromSettings(new CompressorSettings(-27, 3.1, 5.0, 90, 1.5));
        return (data, space, theta);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossMatchesPlainImplementation(ObjectiveMode mode, int delay)
    {
        var (data, space, theta) = Problem();
        var objective = new Objective(data, space, mode, delay);
        var expected = ReferenceLoss.Evaluate(data, space, theta, mode, delay);
        var loss = objective.Loss(theta);
        var second = objective.Derivatives(theta);
        Assert.True(expected.Attacks > 1000 && expected.Releases > 1000, $"attack {expected.Attacks}, release {expected.Releases}");
        Assert.Equal(expected.Loss, loss.Loss, expected.Loss * 1e-9);
        Assert.Equal(expected.Loss, second.Loss, expected.Loss * 1e-9);
        Assert.Equal(expected.RefEnergy, loss.ReferenceEnergy, expected.RefEnergy * 1e-9);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientAndHessianMatchFiniteDifferences(ObjectiveMode mode, int delay)
    {
        var (data, space, theta) = Problem();
        var objective = new Objective(data, space, mode, delay);
        var d = objective.Derivatives(theta);
        double L(Theta t) => ReferenceLoss.Evaluate(data, space, t, mode, delay).Loss;
        // Steps small enough that few samples switch between attack and release (the branch is
        // piecewise constant, SPEC §1), large enough for double-precision round-off.
        double[] h = [1e-5, 1e-5, 1e-5, 1e-5, 1e-5];
        double[] h2 = [1e-5, 1e-5, 1e-5, 1e-5, 1e-5];
        var e = new double[5];
        for (int i = 0; i < 5; i++)
        {
            Array.Clear(e);
            e[i] = h[i];
            double fd = (L(theta.Step(e, 1)) - L(theta.Step(e, -1))) / (2 * h[i]);
            Assert.True(Math.Abs(fd - d.Gradient[i]) <= 1e-5 * Math.Abs(fd),
                $"gradient[{i}]: exact {d.Gradient[i]:R}, finite difference {fd:R}");
        }
        var ei = new double[5];
        for (int i = 0; i < 5; i++)
        {
            for (int j = i; j < 5; j++)
            {
                Array.Clear(ei);
                ei[i] += h2[i];
                ei[j] += h2[j];
                var ej = new double[5];
                ej[i] = h2[i];
                ej[j] -= h2[j];
                double fd;
                if (i == j)
                {
                    Array.Clear(ei); ei[i] = h2[i];
                    fd = (L(theta.Step(ei, 1)) - 2 * L(theta) + L(theta.Step(ei, -1))) / (h2[i] * h2[i]);
                }
                else
                {
                    // [L(+i+j) − L(+i−j) − L(−i+j) + L(−i−j)] / (4 hi hj)
                    fd = (L(theta.Step(ei, 1)) - L(theta.Step(ej, 1)) - L(theta.Step(ej, -1)) + L(theta.Step(ei, -1))) / (4 * h2[i] * h2[j]);
                }
                double scale = Math.Sqrt(Math.Abs(d.Hessian[i, i] * d.Hessian[j, j]));
                Assert.True(Math.Abs(fd - d.Hessian[i, j]) <= 1e-4 * Math.Max(Math.Abs(fd), 1e-3 * scale),
                    $"hessian[{i},{j}]: exact {d.Hessian[i, j]:R}, finite difference {fd:R}");
                Assert.Equal(d.Hessian[i, j], d.Hessian[j, i]);
            }
        }
    }
}
