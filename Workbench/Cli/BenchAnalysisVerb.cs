using System.Diagnostics;
using System.Globalization;
using Workbench.Core.Csv;
using Workbench.Core.Experiments;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Targets: 100,000 cells analysed, corrected and ranked in <= 1 s; analyze of a 10,000,000-row unit file in <= 15 s
    // with flat memory; outcomes import >= 300,000 rows/s (BenchOutcomesAsync, --outcomes 0 skips it). The floor of the
    // second: reading the same file's lines, and CsvHelper's parse of its fields.
    private static async Task<int> BenchAnalysisAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var cellCount = (int)(args.GetLong("cells") ?? 100_000);
        var rows = args.GetLong("rows") ?? 10_000_000;
        var seed = (int)(args.GetLong("seed") ?? 42);

        var cells = BenchCells(cellCount, seed);
        ExperimentAnalysis.Rank(ExperimentAnalysis.Correct(ExperimentAnalysis.Compare(cells.Take(2_000).ToList(),
            new AnalysisSettings("v0", Cuped: true)), Correction.BenjaminiHochberg, CorrectionScope.Experiment)); // warm-up
        var clock = Stopwatch.StartNew();
        var compared = ExperimentAnalysis.Compare(cells, new AnalysisSettings("v0", Cuped: true, Experiment: "bench"));
        var analysed = clock.Elapsed.TotalSeconds;
        var corrected = ExperimentAnalysis.Correct(compared, Correction.BenjaminiHochberg, CorrectionScope.Experiment);
        var ranked = ExperimentAnalysis.Rank(corrected);
        var cellsSeconds = clock.Elapsed.TotalSeconds;
        await stdout.WriteLineAsync($"bench analysis: {cells.Count:N0} cells (segment × variant × metric, half rates, half means, CUPED on), " +
            $"{compared.Count:N0} comparisons: analysed in {analysed:0.000} s, corrected (BH) and ranked in {cellsSeconds:0.000} s in all; " +
            $"{ranked.Count(r => r.AdjustedPValue < 0.05):N0} significant after correction");

        var work = args.Get("keep") ?? Path.Combine(Path.GetTempPath(), "workbench-bench-analysis-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var file = Path.Combine(work, $"units-{rows}.csv");
        try
        {
            if (!File.Exists(file))
            {
                var generation = Stopwatch.StartNew();
                await WriteUnitFileAsync(file, rows, seed, ct);
                await stdout.WriteLineAsync($"generated {rows:N0} units ({new FileInfo(file).Length / 1024.0 / 1024.0:N0} MB) in {generation.Elapsed.TotalSeconds:0.0} s: {file}");
            }
            var lines = Stopwatch.StartNew();
            long lineCount = 0;
            using (var reader = new StreamReader(File.OpenRead(file), bufferSize: 1 << 16))
            {
                while (await reader.ReadLineAsync(ct) is not null) lineCount++;
            }
            var linesSeconds = lines.Elapsed.TotalSeconds;
            var parse = Stopwatch.StartNew();
            using (var parser = new CsvHelper.CsvParser(new StreamReader(File.OpenRead(file), bufferSize: 1 << 16),
                       new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture) { CacheFields = false }))
            {
                while (parser.Read()) _ = parser.Record;
            }
            var parseSeconds = parse.Elapsed.TotalSeconds;
            await stdout.WriteLineAsync($"floor: reading the {lineCount:N0} lines {linesSeconds:0.00} s; CsvHelper parsing every field {parseSeconds:0.00} s");

            foreach (var (label, request) in new[]
                     {
                         ("3 metrics by segment, CUPED, unit ids", new FileAnalysisRequest("variant", "control", ["converted", "revenue", "margin"], "segment", "pre_revenue", "unit_id")),
                         ("3 metrics, no segments, no unit ids", new FileAnalysisRequest("variant", "control", ["converted", "revenue", "margin"])),
                     })
            {
                GC.Collect();
                PeakMemory.Reset();
                var run = Stopwatch.StartNew();
                await using var stream = File.OpenRead(file);
                var outcome = await new ExperimentFileAnalyzer().AnalyzeAsync(stream, Path.GetFileName(file), request, null, stream.Length, ct);
                var seconds = run.Elapsed.TotalSeconds;
                var peak = PeakMemory.ReadBytes();
                if (outcome.Report is null)
                {
                    await stdout.WriteLineAsync(outcome.Problem);
                    return 1;
                }
                await stdout.WriteLineAsync($"analyze ({label}): {outcome.Report.Units:N0} units, {outcome.Report.Results.Count:N0} results in {seconds:0.00} s " +
                    $"({seconds / parseSeconds:0.00}× the CsvHelper parse, {seconds / linesSeconds:0.0}× reading the lines); peak working set {peak / 1024.0 / 1024.0:N0} MB; " +
                    $"target <= 15 s: {(seconds <= 15 ? "met" : "NOT met")}");
            }
            await stdout.WriteLineAsync($"target: cells <= 1 s: {(cellsSeconds <= 1 ? "met" : "NOT met")}");
            var outcomes = Math.Clamp(args.GetLong("outcomes") ?? 1_000_000, 0, 100_000_000);
            return outcomes == 0 ? 0 : await BenchOutcomesAsync(outcomes, work, stdout, stderr, ct);
        }
        finally
        {
            if (args.Get("keep") is null) Directory.Delete(work, recursive: true);
        }
    }

    private static List<MetricCell> BenchCells(int count, int seed)
    {
        const int variants = 10, metrics = 10;
        var random = new Random(seed);
        var segments = Math.Max(1, count / (variants * metrics));
        var cells = new List<MetricCell>(segments * variants * metrics);
        for (var m = 0; m < metrics; m++)
        {
            var rate = m < metrics / 2;
            for (var s = 0; s < segments; s++)
            {
                var baseline = rate ? 0.02 + 0.3 * random.NextDouble() : 20 + 80 * random.NextDouble();
                for (var v = 0; v < variants; v++)
                {
                    var n = 500 + random.Next(5_000);
                    var mean = rate ? Math.Clamp(baseline * (0.9 + 0.2 * random.NextDouble()), 0, 1) : baseline * (0.9 + 0.2 * random.NextDouble());
                    var variance = rate ? mean * (1 - mean) : mean * mean;
                    var m2 = variance * (n - 1);
                    cells.Add(new MetricCell($"m{m}", rate ? MetricKind.Rate : MetricKind.Mean, $"s{s}", $"v{v}",
                        new Moments(n, rate ? Math.Round(mean * n) / n : mean, m2, mean, m2, 0.5 * m2)));
                }
            }
        }
        return cells;
    }

    // unit_id, variant (control / a / b, planned 50/25/25), segment (8), converted (0/1), revenue, margin, pre_revenue.
    private static async Task WriteUnitFileAsync(string path, long rows, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        string[] variants = ["control", "control", "a", "b"];
        await using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false), 1 << 16);
        await using var csv = SafeCsv.CreateWriter(writer);
        csv.WriteRow(["unit_id", "variant", "segment", "converted", "revenue", "margin", "pre_revenue"]);
        for (long i = 0; i < rows; i++)
        {
            if ((i & 0xFFFFF) == 0) ct.ThrowIfCancellationRequested();
            var v = random.Next(variants.Length);
            var pre = Math.Round(random.NextDouble() * 100, 2);
            var converted = random.NextDouble() < 0.1 + (v == 2 ? 0.01 : 0);
            var revenue = converted ? Math.Round(pre * 0.5 + random.NextDouble() * 50, 2) : 0;
            csv.WriteField(i + 1);
            csv.WriteField(variants[v]);
            csv.WriteField("s" + random.Next(8));
            csv.WriteField(converted ? 1 : 0);
            csv.WriteField(revenue);
            csv.WriteField(Math.Round(revenue * 0.3, 2));
            csv.WriteField(pre);
            await csv.NextRecordAsync();
        }
    }
}
