using System.Globalization;
using Workbench.Core.Csv;

namespace Workbench.Core.Playbook;

// The CSV beside the value × feasibility chart: the very points it plots with every input behind them.
public static class PlaybookInsightsCsv
{
    public static string UseCases(IReadOnlyList<RankedUseCase> ranked, string title, string subject, DateOnly date)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = SafeCsv.CreateWriter(text))
        {
            csv.WriteRow(["chart", "subject", "date", "rank", "use_case_id", "use_case", "objective", "audience", "uplift_percent", "average_value",
                "estimated_value", "data_readiness", "content_readiness", "consent", "feasibility"]);
            foreach (var r in ranked)
            {
                var f = r.Insight.Feasibility;
                csv.WriteRow([title, subject, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), N(r.Rank), r.Insight.UseCase.Id,
                    r.Insight.UseCase.Name, ContentGaps.ObjectiveName(r.Insight.UseCase.Objective), N(r.Inputs.Audience), N(r.Inputs.UpliftPercent),
                    N(r.Inputs.AverageValue), N(Math.Round(r.Value, 2)), N(Math.Round(f.Data, 4)), N(Math.Round(f.Content, 4)),
                    N(Math.Round(f.Consent, 4)), N(Math.Round(f.Score, 4))]);
            }
        }
        return text.ToString();
    }

    private static string N(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
