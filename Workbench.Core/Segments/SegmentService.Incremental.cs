using System.Diagnostics;
using Workbench.Core.Data;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Segments;

public sealed partial class SegmentService
{
    // After an import: every saved segment re-evaluated for the customers in touched_customers only (their data changed;
    // everyone else's membership stands until the daily run moves the time windows on). Entries and exits count the
    // touched customers who joined or left; the size follows from the previous one. A segment never refreshed is
    // evaluated whole. The segment-memberships job's run after an import, inside the pipeline's write gate.
    public async Task<RefreshResult> RefreshTouchedAsync(CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var now = Now;
        await using var connection = await OpenAsync(ct);
        var segments = new List<(long Id, string Rule, long? Size)>();
        await using (var command = connection.Sql("SELECT id, rule_json, last_size FROM segments ORDER BY id"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) segments.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
        }
        await ExecuteAsync(connection, "CREATE TEMP TABLE IF NOT EXISTS refresh_members (customer_id TEXT PRIMARY KEY) WITHOUT ROWID", ct);
        var refreshed = 0;
        foreach (var (id, json, size) in segments)
        {
            var rule = RuleJson.Parse(json).Rule;
            if (rule is null) continue;
            var compiled = RuleSqlCompiler.Compile(rule, now);
            if (size is null) await RefreshOneAsync(connection, id, compiled, now, ct);
            else await RefreshTouchedOneAsync(connection, id, compiled, size.Value, now, ct);
            refreshed++;
        }
        return new RefreshResult(refreshed, watch.Elapsed);
    }

    private static async Task RefreshTouchedOneAsync(System.Data.Common.DbConnection connection, long id, CompiledRule compiled, long previousSize,
        DateTime now, CancellationToken ct)
    {
        await using var tx = await connection.BeginWriteAsync(ct);
        await ExecuteAsync(connection, "DELETE FROM temp.refresh_members", ct);
        await using (var insert = RuleQuery.Command(connection, compiled, "c.customer_id"))
        {
            // The touched customers drive the query (their primary keys), the rule filters them.
            insert.CommandText = "INSERT INTO temp.refresh_members (customer_id) " +
                $"SELECT c.customer_id FROM main.touched_customers t CROSS JOIN {compiled.FromClause} WHERE c.customer_id = t.customer_id AND ({compiled.Where})";
            await insert.ExecuteNonQueryAsync(ct);
        }
        var p = ("$id", (object)id);
        var entries = await ScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM temp.refresh_members r WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = $id AND m.customer_id = r.customer_id)", ct, p);
        var exits = await ExecuteAsync(connection, """
            DELETE FROM segment_members WHERE segment_id = $id
                AND customer_id IN (SELECT customer_id FROM main.touched_customers)
                AND customer_id NOT IN (SELECT customer_id FROM temp.refresh_members)
            """, ct, p);
        await ExecuteAsync(connection, "INSERT OR IGNORE INTO segment_members (segment_id, customer_id) SELECT $id, customer_id FROM temp.refresh_members", ct, p);
        var size = previousSize + entries - exits;
        var at = RuleSqlCompiler.Format(now);
        await ExecuteAsync(connection,
            "INSERT INTO segment_size_history (segment_id, at, size, entries, exits) VALUES ($id, $at, $size, $entries, $exits)", ct,
            p, ("$at", at), ("$size", size), ("$entries", entries), ("$exits", (long)exits));
        await ExecuteAsync(connection, "UPDATE segments SET last_refresh_at = $at, last_size = $size WHERE id = $id", ct,
            p, ("$at", at), ("$size", size));
        await tx.CommitAsync(ct);
    }
}
