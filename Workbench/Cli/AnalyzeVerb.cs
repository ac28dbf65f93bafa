using System.Globalization;
using Workbench.Core.Experiments;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Analyses a unit-level experiment file; needs no store.
    private static async Task<int> AnalyzeVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("variant-column", "control", "metrics", "by", "pre-metric", "unit-column", "correction", "correction-scope", "allocation");
        if (args.Positional.Count != 1)
            throw new CliUsageException("analyze takes one file: analyze <file.csv> --variant-column <col> --control <value> --metrics a,b,c");
        var request = ParseAnalyzeRequest(args);
        var path = args.Positional[0];
        if (!File.Exists(path))
        {
            await stderr.WriteLineAsync($"{path}: no such file");
            return 1;
        }
        await using var stream = File.OpenRead(path);
        var outcome = await new ExperimentFileAnalyzer().AnalyzeAsync(stream, Path.GetFileName(path), request, null, stream.Length, ct);
        if (outcome.Report is null)
        {
            await stderr.WriteLineAsync(outcome.Problem);
            return 1;
        }
        await stdout.WriteLineAsync(AnalysisJson.Write(outcome.Report));
        if (outcome.Report.Srm.Mismatch)
            await stderr.WriteLineAsync($"warning: sample-ratio mismatch (χ² = {outcome.Report.Srm.ChiSquare:0.##}, p = {outcome.Report.Srm.PValue:0.#####} < 0.001): check the assignment before trusting the results");
        return 0;
    }

    internal static FileAnalysisRequest ParseAnalyzeRequest(CliArgs args)
    {
        var metrics = args.Required("metrics").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (metrics.Length == 0) throw new CliUsageException("--metrics needs at least one column name");
        var correction = args.Get("correction")?.ToLowerInvariant() switch
        {
            null or "bh" => Correction.BenjaminiHochberg,
            "holm" => Correction.Holm,
            "none" => Correction.None,
            var other => throw new CliUsageException($"--correction takes bh, holm or none, not '{other}'"),
        };
        var scope = args.Get("correction-scope")?.ToLowerInvariant() switch
        {
            null or "experiment" => CorrectionScope.Experiment,
            "metric" => CorrectionScope.Metric,
            var other => throw new CliUsageException($"--correction-scope takes metric or experiment, not '{other}'"),
        };
        return new FileAnalysisRequest(args.Required("variant-column"), args.Required("control"), metrics, args.Get("by"),
            args.Get("pre-metric"), args.Get("unit-column"), correction, scope, ParseAllocation(args.Get("allocation")));
    }

    private static Dictionary<string, double>? ParseAllocation(string? text)
    {
        if (text is null) return null;
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.LastIndexOf('=');
            if (eq <= 0 || !double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || !(share > 0))
                throw new CliUsageException($"--allocation takes variant=share pairs such as control=50,treatment=50, not '{part}'");
            shares[part[..eq]] = share;
        }
        return shares;
    }
}
