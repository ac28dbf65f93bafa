using Workbench.Core.Data;

namespace Workbench.Core.Campaigns;

// One arm of a run (a variant, or the control group) with what came back from the sending platform. Sent counts the
// arm's sends; the outcome counts are sends with that outcome recorded (a click without a recorded open still counts as
// a click); revenue and margin are summed over the arm's converted sends. Rates are per send, so 0 sends gives none.
public sealed record RunArmOutcomes(string Arm, string? Variant, long Targeted, long Sent, long WithOutcome, long Delivered, long Opened, long Clicked,
    long Converted, long Unsubscribed, double Revenue, double Margin)
{
    public double? Rate(long count) => Sent > 0 ? (double)count / Sent : null;
}

// A run's outcomes per arm (the global holdout left out: it was never part of the campaign). Every stored outcome joins
// its send: the importer refuses an outcome for an unknown send and reports it.
public sealed record RunOutcomes(long RunId, IReadOnlyList<RunArmOutcomes> Arms)
{
    public long Outcomes => Arms.Sum(a => a.WithOutcome);
}

public sealed class CampaignOutcomeService(StoreLocation store)
{
    // One range read of the run's sends joined to their outcomes (both keyed by run and customer).
    public async Task<RunOutcomes> ForRunAsync(long runId, CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var cmd = connection.Command(
            "SELECT s.arm, s.variant, COUNT(*), SUM(s.sent), COUNT(o.run_id), COUNT(o.delivered_at), COUNT(o.opened_at), COUNT(o.clicked_at), " +
            "COUNT(o.converted_at), COUNT(o.unsubscribed_at), TOTAL(CASE WHEN o.converted_at IS NOT NULL THEN o.revenue END), " +
            "TOTAL(CASE WHEN o.converted_at IS NOT NULL THEN o.margin END) " +
            "FROM campaign_sends s LEFT JOIN campaign_outcomes o ON o.run_id = s.run_id AND o.customer_id = s.customer_id " +
            "WHERE s.run_id = $id AND s.arm <> $holdout GROUP BY s.arm, s.variant ORDER BY s.arm = $control, s.arm",
            ("$id", runId), ("$holdout", NotSentReasons.Holdout), ("$control", Decisioning.ArmAssignment.ControlArm));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var arms = new List<RunArmOutcomes>();
        while (await r.ReadAsync(ct))
            arms.Add(new RunArmOutcomes(r.GetString(0), r.Text(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7),
                r.GetInt64(8), r.GetInt64(9), r.GetDouble(10), r.GetDouble(11)));
        return new RunOutcomes(runId, arms);
    }
}
