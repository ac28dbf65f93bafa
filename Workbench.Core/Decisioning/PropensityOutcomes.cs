using Workbench.Core.Data;

namespace Workbench.Core.Decisioning;

// The decision engine's propensities from what campaigns achieved: per play and cell, the sends and the conversions
// among them, over every run whose outcomes have arrived (a run without outcomes yet would read as no conversions).
// It reads the campaigns' outbox and outcomes tables by SQL (the Campaigns slice builds on this one, not the reverse).
// A send's cell is the campaign segment it was sent in (the run records it), or PropensityModel.EveryoneElse for a
// campaign for everyone. Kept until the next outcomes import commits (the only way outcomes change), so every decision
// after an import uses it and none before re-reads.
public sealed class PropensityOutcomes(StoreLocation store)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (long Import, PropensityModel Model)? _cached;

    public async Task<PropensityModel> ModelAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        return await ModelAsync(connection, ct);
    }

    // The same on a connection the caller holds open (a real-time decision).
    public async Task<PropensityModel> ModelAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        await using var latest = connection.Command("SELECT COALESCE(MAX(id), 0) FROM import_runs WHERE kind = $kind AND outcome = $imported",
            ("$kind", Import.ImportKind.Outcomes.ToString()), ("$imported", Import.ImportOutcome.Imported.ToString()));
        var import = Convert.ToInt64(await latest.ExecuteScalarAsync(ct));
        if (_cached is { } c && c.Import == import) return c.Model;
        await _lock.WaitAsync(ct);
        try
        {
            if (_cached is { } again && again.Import == import) return again.Model;
            var model = import == 0 ? PropensityModel.Empty : await ReadAsync(connection, ct);
            _cached = (import, model);
            return model;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static async Task<PropensityModel> ReadAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.Command(
            "SELECT s.play_id, COALESCE(CAST(s.segment_id AS TEXT), $everyone), COUNT(*), COUNT(o.converted_at) " +
            "FROM campaign_sends s LEFT JOIN campaign_outcomes o ON o.run_id = s.run_id AND o.customer_id = s.customer_id " +
            "WHERE s.sent = 1 AND s.play_id IS NOT NULL AND s.run_id IN (SELECT DISTINCT run_id FROM campaign_outcomes) " +
            "GROUP BY s.play_id, s.segment_id ORDER BY s.play_id, s.segment_id", ("$everyone", PropensityModel.EveryoneElse));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var byPlay = new Dictionary<string, IReadOnlyList<OutcomeCell>>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct))
        {
            var play = r.GetString(0);
            if (!byPlay.TryGetValue(play, out var cells)) byPlay[play] = cells = new List<OutcomeCell>();
            ((List<OutcomeCell>)cells).Add(new OutcomeCell(r.GetString(1), r.GetInt64(2), r.GetInt64(3)));
        }
        return new PropensityModel(byPlay);
    }
}
