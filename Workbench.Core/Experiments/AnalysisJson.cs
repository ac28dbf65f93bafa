using System.Text;
using System.Text.Json;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Experiments;

// The analyze verb's JSON, field by field in a fixed order. Undefined figures (no variance, an empty arm) are null.
public static class AnalysisJson
{
    public static string Write(FileAnalysisReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("file", report.FileName);
            w.WriteNumber("units", report.Units);
            if (report.DuplicateUnits is { } d) w.WriteNumber("duplicateUnits", d); else w.WriteNull("duplicateUnits");
            w.WriteStartObject("srm");
            Number(w, "chiSquare", report.Srm.ChiSquare);
            Number(w, "pValue", report.Srm.PValue);
            w.WriteNumber("df", report.Srm.Df);
            w.WriteBoolean("mismatch", report.Srm.Mismatch);
            w.WriteEndObject();
            w.WriteStartArray("variants");
            foreach (var v in report.Variants)
            {
                w.WriteStartObject();
                w.WriteString("variant", v.Variant);
                w.WriteNumber("units", v.Units);
                Number(w, "plannedShare", v.PlannedShare);
                w.WriteBoolean("control", v.Variant == report.Control);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("metrics");
            foreach (var m in report.Metrics)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name);
                w.WriteString("kind", m.Kind == MetricKind.Rate ? "rate" : "mean");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("correction");
            w.WriteString("method", report.Correction switch { Correction.Holm => "holm", Correction.None => "none", _ => "bh" });
            w.WriteString("scope", report.Scope == CorrectionScope.Metric ? "metric" : "experiment");
            w.WriteEndObject();
            w.WriteStartArray("results");
            foreach (var r in report.Results) WriteResult(w, r);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteResult(Utf8JsonWriter w, CellResult r)
    {
        w.WriteStartObject();
        w.WriteString("metric", r.Metric);
        if (r.Segment is null) w.WriteNull("segment"); else w.WriteString("segment", r.Segment);
        w.WriteString("variant", r.Variant);
        w.WriteNumber("n", r.N);
        Number(w, "value", r.Value);
        w.WriteNumber("controlN", r.ControlN);
        Number(w, "controlValue", r.ControlValue);
        Number(w, "absoluteLift", r.AbsoluteLift);
        Number(w, "relativeLift", r.RelativeLift);
        Number(w, "ciLow", r.CiLow);
        Number(w, "ciHigh", r.CiHigh);
        Number(w, "pValue", r.PValue);
        Number(w, "adjustedPValue", r.AdjustedPValue);
        Number(w, "chanceToBeatControl", r.ChanceToBeatControl);
        if (r.Kind == MetricKind.Mean) Number(w, "df", r.Df);
        Number(w, "mde", r.Mde);
        if (r.Cuped is { } c)
        {
            w.WriteStartObject("cuped");
            Number(w, "theta", c.Theta);
            Number(w, "varianceReduction", c.VarianceReduction);
            Number(w, "absoluteLift", c.AbsoluteLift);
            Number(w, "ciLow", c.CiLow);
            Number(w, "ciHigh", c.CiHigh);
            Number(w, "pValue", c.PValue);
            w.WriteEndObject();
        }
        w.WriteStartObject("confidenceSequence");
        Number(w, "ciLow", r.ConfidenceSequence?.Low);
        Number(w, "ciHigh", r.ConfidenceSequence?.High);
        w.WriteEndObject();
        w.WriteStartObject("incremental");
        Number(w, "total", r.Incremental.Total);
        Number(w, "ciLow", r.Incremental.Low);
        Number(w, "ciHigh", r.Incremental.High);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }
}
