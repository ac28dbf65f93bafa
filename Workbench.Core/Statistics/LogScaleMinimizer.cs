using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Workbench.Core.Statistics;

public sealed record Minimum(double[] Point, double Value, int Evaluations, bool Converged);

// Nelder-Mead (MathNet.Numerics) on the logs of positive parameters, restarted once from its optimum so a collapsed
// simplex does not stop it early. Should it run out of iterations, the best point it evaluated is kept rather than lost.
internal static class LogScaleMinimizer
{
    public static Minimum Minimize(Func<double[], double> negativeLogLikelihood, double[] logStart, CancellationToken ct)
    {
        var evaluations = 0;
        var best = (Point: logStart, Value: double.MaxValue);
        double Objective(Vector<double> v)
        {
            ct.ThrowIfCancellationRequested();
            evaluations++;
            var point = v.ToArray();
            var value = negativeLogLikelihood(point.Select(Math.Exp).ToArray());
            if (!double.IsFinite(value)) return double.MaxValue;
            if (value < best.Value) best = (point, value);
            return value;
        }

        var solver = new NelderMeadSimplex(1e-9, 20_000);
        var converged = true;
        var start = Vector<double>.Build.DenseOfArray(logStart);
        for (var round = 0; round < 2; round++)
        {
            try
            {
                var result = solver.FindMinimum(ObjectiveFunction.Value(Objective), start);
                start = result.MinimizingPoint;
                converged = result.ReasonForExit == ExitCondition.Converged;
            }
            catch (MaximumIterationsException)
            {
                converged = false;
                start = Vector<double>.Build.DenseOfArray(best.Point);
            }
        }
        return new Minimum(best.Point.Select(Math.Exp).ToArray(), best.Value, evaluations, converged);
    }
}
