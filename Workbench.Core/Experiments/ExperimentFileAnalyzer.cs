using System.Globalization;
using Workbench.Core.Experiments.Statistics;
using Workbench.Core.Import;

namespace Workbench.Core.Experiments;

// Streams a unit-level experiment file (one row per unit) once, keeping only sufficient statistics per
// (segment, variant) and metric, so memory stays flat whatever the length of the file (apart from the unit ids, 8 bytes
// a row, when a unit column is named). A metric whose every value is 0 or 1 (or TRUE/FALSE) is a rate, any other
// numeric metric a mean.
public sealed class ExperimentFileAnalyzer
{
    public const int MaxVariants = 100;
    public const int MaxCells = 100_000;
    private const int PreviewRows = 1_000;

    public async Task<FilePreview?> PreviewAsync(Stream stream, CancellationToken ct)
    {
        using var csv = await CsvInput.OpenAsync(stream, ct);
        if (csv is null) return null;
        var n = csv.Headers.Length;
        var values = Enumerable.Range(0, n).Select(_ => new HashSet<string>()).ToArray();
        var numeric = Enumerable.Repeat(true, n).ToArray();
        var binary = Enumerable.Repeat(true, n).ToArray();
        long rows = 0;
        while (rows < PreviewRows && csv.MoveNext())
        {
            rows++;
            for (var c = 0; c < n && c < csv.FieldCount; c++)
            {
                var text = csv.Field(c);
                if (values[c].Count <= PreviewRows) values[c].Add(text);
                var parsed = TryParse(text, out var v);
                numeric[c] &= parsed && !IsBoolean(text);
                binary[c] &= parsed && v is 0 or 1;
            }
        }
        return new FilePreview(csv.Headers.Select((h, c) => new ColumnPreview(h,
            values[c].Order(StringComparer.Ordinal).Take(20).ToList(), rows > 0 && numeric[c], rows > 0 && binary[c],
            rows > 20 && values[c].Count == rows)).ToList(), rows);
    }

    public async Task<FileAnalysisOutcome> AnalyzeAsync(Stream stream, string fileName, FileAnalysisRequest request,
        IProgress<FileAnalysisProgress>? progress, long? totalBytes, CancellationToken ct)
    {
        var counting = new CountingStream(stream);
        using var csv = await CsvInput.OpenAsync(counting, ct);
        if (csv is null) return Refuse(fileName, 1, null, "the file is empty: it needs a header line and one row per unit");
        string? Problem(long line, string? column, string reason) =>
            column is null ? $"{fileName}:{line}: {reason}" : $"{fileName}:{line}: {column}: {reason}";

        int? Find(string? name) => name is null ? null : Array.FindIndex(csv.Headers, h => string.Equals(h, name.Trim(), StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i : -1;
        var named = new List<(string Role, string? Name)> { ("variant column", request.VariantColumn), ("segment column", request.SegmentColumn),
            ("pre-period metric", request.PreMetricColumn), ("unit column", request.UnitColumn) };
        named.AddRange(request.Metrics.Select(m => ("metric", (string?)m)));
        foreach (var (role, name) in named)
        {
            if (Find(name) == -1)
                return new(null, Problem(1, null, $"the {role} '{name}' is not in the header; the columns are: {string.Join(", ", csv.Headers)}"));
        }
        if (request.Metrics.Count == 0) return new(null, Problem(0, null, "name at least one metric column"));
        var roleColumns = named.Where(r => r.Name is not null).Select(r => Find(r.Name)!.Value).ToList();
        if (roleColumns.Distinct().Count() != roleColumns.Count)
            return new(null, Problem(0, null, "a column can play one role only (variant, segment, pre-period metric, unit or one metric)"));

        var variantColumn = Find(request.VariantColumn)!.Value;
        var segmentColumn = Find(request.SegmentColumn);
        var preColumn = Find(request.PreMetricColumn);
        var unitColumn = Find(request.UnitColumn);
        var metricColumns = request.Metrics.Select(m => Find(m)!.Value).ToArray();
        var metricNames = metricColumns.Select(c => csv.Headers[c]).ToArray();
        var binary = Enumerable.Repeat(true, metricColumns.Length).ToArray();
        var variants = new Dictionary<string, int>(StringComparer.Ordinal);
        var segments = new Dictionary<string, int>(StringComparer.Ordinal);
        var cells = new List<List<MomentAccumulator[]>>(); // [segment][variant][metric]
        var units = unitColumn is null ? null : new UnitIdCollector();
        long rows = 0;

        while (csv.MoveNext())
        {
            if ((rows & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new FileAnalysisProgress(rows, counting.BytesRead, totalBytes));
            }
            if (csv.CurrentProblem is not null) return new(null, Problem(csv.Line, csv.CurrentProblemColumn, csv.CurrentProblem));
            if (csv.FieldCount != csv.Headers.Length)
                return new(null, Problem(csv.Line, null, $"{csv.FieldCount} fields where the header has {csv.Headers.Length}"));
            rows++;
            var variantName = csv.Field(variantColumn);
            if (variantName.Length == 0) return new(null, Problem(csv.Line, csv.Headers[variantColumn], "empty: every unit needs its variant"));
            if (!variants.TryGetValue(variantName, out var variant))
            {
                if (variants.Count == MaxVariants) return new(null, Problem(csv.Line, csv.Headers[variantColumn], $"more than {MaxVariants} variants: is this the variant column?"));
                variants[variantName] = variant = variants.Count;
            }
            var segment = 0;
            if (segmentColumn is { } sc)
            {
                var segmentName = csv.Field(sc);
                if (segmentName.Length == 0) segmentName = "(blank)";
                if (!segments.TryGetValue(segmentName, out segment)) segments[segmentName] = segment = segments.Count;
            }
            while (cells.Count <= segment) cells.Add([]);
            var row = cells[segment];
            while (row.Count <= variant) row.Add(new MomentAccumulator[metricColumns.Length]);
            if ((long)segments.Count * variants.Count > MaxCells)
                return new(null, Problem(csv.Line, csv.Headers[segmentColumn ?? variantColumn], $"more than {MaxCells:N0} segment × variant cells"));

            var x = 0.0;
            if (preColumn is { } pc && !TryParse(csv.Field(pc), out x))
                return new(null, Problem(csv.Line, csv.Headers[pc], $"'{csv.Field(pc)}' is not a number (a dot for decimals; TRUE/FALSE or 0/1 for yes/no)"));
            var accumulators = row[variant];
            for (var m = 0; m < metricColumns.Length; m++)
            {
                var text = csv.Field(metricColumns[m]);
                if (!TryParse(text, out var y))
                    return new(null, Problem(csv.Line, metricNames[m], text.Length == 0
                        ? "empty: every unit needs a value (0 when nothing happened)"
                        : $"'{text}' is not a number (a dot for decimals; TRUE/FALSE or 0/1 for yes/no)"));
                if (y is not (0 or 1)) binary[m] = false;
                if (preColumn is null) accumulators[m].Add(y); else accumulators[m].Add(y, x);
            }
            if (units is not null)
            {
                var id = csv.Field(unitColumn!.Value);
                if (id.Length == 0) return new(null, Problem(csv.Line, csv.Headers[unitColumn.Value], "empty: every row needs its unit id"));
                units.Add(id);
            }
        }
        progress?.Report(new FileAnalysisProgress(rows, counting.BytesRead, totalBytes));
        if (rows == 0) return Refuse(fileName, 2, null, "no rows after the header");
        if (!variants.ContainsKey(request.Control))
            return new(null, Problem(0, csv.Headers[variantColumn], $"the control '{request.Control}' does not occur; the values are: {string.Join(", ", variants.Keys.Order(StringComparer.Ordinal))}"));
        if (variants.Count < 2) return new(null, Problem(0, csv.Headers[variantColumn], "only one variant in the file: nothing to compare"));

        var variantNames = variants.OrderBy(v => v.Value).Select(v => v.Key).ToArray();
        var allocation = request.Allocation;
        if (allocation is not null)
        {
            var missing = variantNames.Where(v => !allocation.ContainsKey(v)).ToList();
            var unknown = allocation.Keys.Where(k => !variants.ContainsKey(k)).ToList();
            if (missing.Count > 0 || unknown.Count > 0 || allocation.Values.Any(s => !(s > 0)))
                return new(null, Problem(0, null, $"the allocation needs a positive share for every variant found ({string.Join(", ", variantNames)})" +
                    (unknown.Count > 0 ? $"; not in the file: {string.Join(", ", unknown)}" : "")));
        }
        var segmentNames = segments.OrderBy(s => s.Value).Select(s => s.Key).ToArray();
        var kinds = binary.Select(b => b ? MetricKind.Rate : MetricKind.Mean).ToArray();
        var metricCells = BuildCells(cells, variantNames, segmentColumn is null ? null : segmentNames, metricNames, kinds);
        var unitsPerVariant = variantNames.Select((_, v) => metricCells.Where(c => c.Segment is null && c.Variant == variantNames[v]).First().Stats.N).ToArray();
        var shares = variantNames.Select(v => allocation?[v] ?? 1.0).ToArray();
        var srm = SampleRatio.Check(unitsPerVariant, shares);

        var settings = new AnalysisSettings(request.Control, Cuped: preColumn is not null, Experiment: fileName);
        var compared = ExperimentAnalysis.Compare(metricCells, settings);
        var results = ExperimentAnalysis.Correct(compared, request.Correction, request.Scope);
        var shareSum = shares.Sum();
        return new(new FileAnalysisReport(fileName, rows, units?.Duplicates(), srm,
            variantNames.Select((v, i) => new VariantUnits(v, unitsPerVariant[i], shares[i] / shareSum)).ToList(),
            metricNames.Select((m, i) => new MetricSummary(m, kinds[i])).ToList(), request.Control,
            segmentColumn is null ? null : csv.Headers[segmentColumn.Value], segmentNames.Order(StringComparer.Ordinal).ToList(),
            preColumn is not null, request.Correction, request.Scope, results), null);
    }

    // Everyone per variant (segments merged), then every segment × variant; metrics in the order asked, variants and
    // segments in ordinal order.
    private static List<MetricCell> BuildCells(List<List<MomentAccumulator[]>> cells, string[] variants, string[]? segments,
        string[] metrics, MetricKind[] kinds)
    {
        var result = new List<MetricCell>();
        var variantOrder = Enumerable.Range(0, variants.Length).OrderBy(v => variants[v], StringComparer.Ordinal).ToArray();
        Moments At(int s, int v, int m) => v < cells[s].Count ? cells[s][v][m].ToMoments() : default;
        for (var m = 0; m < metrics.Length; m++)
        {
            foreach (var v in variantOrder)
            {
                var all = default(Moments);
                for (var s = 0; s < cells.Count; s++) all = Moments.Merge(all, At(s, v, m));
                result.Add(new MetricCell(metrics[m], kinds[m], null, variants[v], all));
            }
            if (segments is null) continue;
            foreach (var s in Enumerable.Range(0, segments.Length).OrderBy(s => segments[s], StringComparer.Ordinal))
            {
                foreach (var v in variantOrder) result.Add(new MetricCell(metrics[m], kinds[m], segments[s], variants[v], At(s, v, m)));
            }
        }
        return result;
    }

    private static FileAnalysisOutcome Refuse(string fileName, long line, string? column, string reason) =>
        new(null, column is null ? $"{fileName}:{line}: {reason}" : $"{fileName}:{line}: {column}: {reason}");

    private static bool IsBoolean(string text) =>
        text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase);

    internal static bool TryParse(string text, out double value)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) { value = 1; return true; }
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) { value = 0; return true; }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }
}
