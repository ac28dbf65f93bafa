using Workbench.Core.Csv;
using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Segments;

public sealed partial class SegmentService
{
    // Evaluates every saved segment, stores its member set and records size, entries and exits. Set-based SQL, one
    // transaction per segment. The segment-memberships job's full run: its caller holds the store's write gate (the
    // pipeline does; pages and verbs ask the pipeline, JobPipeline.RunNowAsync).
    public async Task<RefreshResult> RefreshAllAsync(CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyList<(long Id, string Rule)> segments;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            segments = (await db.Set<Segment>().AsNoTracking().Select(s => new { s.Id, s.RuleJson }).ToListAsync(ct))
                .Select(s => (s.Id, s.RuleJson)).ToList();
        }
        var now = Now;
        await using var connection = await OpenAsync(ct);
        await ExecuteAsync(connection, "CREATE TEMP TABLE IF NOT EXISTS refresh_members (customer_id TEXT PRIMARY KEY) WITHOUT ROWID", ct);
        var refreshed = 0;
        foreach (var (id, json) in segments)
        {
            var rule = RuleJson.Parse(json).Rule;
            if (rule is null) continue;
            await RefreshOneAsync(connection, id, RuleSqlCompiler.Compile(rule, now), now, ct);
            refreshed++;
        }
        return new RefreshResult(refreshed, watch.Elapsed);
    }

    // One segment, right after its rule was saved, so the list shows its size at once: a writer like any other, it
    // waits for the store's write gate.
    private async Task RefreshAsync(long id, RuleGroup rule, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        await using var connection = await OpenAsync(ct);
        await ExecuteAsync(connection, "CREATE TEMP TABLE IF NOT EXISTS refresh_members (customer_id TEXT PRIMARY KEY) WITHOUT ROWID", ct);
        var now = Now;
        await RefreshOneAsync(connection, id, RuleSqlCompiler.Compile(rule, now), now, ct);
    }

    private static async Task RefreshOneAsync(DbConnection connection, long id, CompiledRule compiled, DateTime now, CancellationToken ct)
    {
        await using var tx = connection.BeginTransaction();
        await ExecuteAsync(connection, "DELETE FROM temp.refresh_members", ct);
        await using (var insert = RuleQuery.Command(connection, compiled, "c.customer_id"))
        {
            insert.CommandText = "INSERT INTO temp.refresh_members (customer_id) " + insert.CommandText;
            await insert.ExecuteNonQueryAsync(ct);
        }
        var p = ("$id", (object)id);
        var entries = await ScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM (SELECT customer_id FROM temp.refresh_members EXCEPT SELECT customer_id FROM segment_members WHERE segment_id = $id)", ct, p);
        var exits = await ScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM (SELECT customer_id FROM segment_members WHERE segment_id = $id EXCEPT SELECT customer_id FROM temp.refresh_members)", ct, p);
        await ExecuteAsync(connection,
            "DELETE FROM segment_members WHERE segment_id = $id AND customer_id NOT IN (SELECT customer_id FROM temp.refresh_members)", ct, p);
        await ExecuteAsync(connection,
            "INSERT OR IGNORE INTO segment_members (segment_id, customer_id) SELECT $id, customer_id FROM temp.refresh_members", ct, p);
        var size = await ScalarAsync<long>(connection, "SELECT COUNT(*) FROM temp.refresh_members", ct);
        var at = RuleSqlCompiler.Format(now);
        await ExecuteAsync(connection,
            "INSERT INTO segment_size_history (segment_id, at, size, entries, exits) VALUES ($id, $at, $size, $entries, $exits)", ct,
            p, ("$at", at), ("$size", size), ("$entries", entries), ("$exits", exits));
        await ExecuteAsync(connection, "UPDATE segments SET last_refresh_at = $at, last_size = $size WHERE id = $id", ct,
            p, ("$at", at), ("$size", size));
        await tx.CommitAsync(ct);
    }

    // The saved segments the customer is a member of as of each segment's latest evaluation.
    public async Task<IReadOnlyList<SegmentRef>> SegmentsOfAsync(string customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = db.Set<SegmentMember>().Where(m => m.CustomerId == customerId).Select(m => m.SegmentId);
        return await db.Set<Segment>().AsNoTracking().Where(s => ids.Contains(s.Id)).OrderBy(s => s.Name)
            .Select(s => new SegmentRef(s.Id, s.Name)).ToListAsync(ct);
    }

    public async Task<DateTime?> LastRefreshAtAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<SegmentSizeHistory>().MaxAsync(h => (DateTime?)h.At, ct);
    }

    public async Task<IReadOnlyList<SegmentHistoryPoint>> HistoryAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<SegmentSizeHistory>().AsNoTracking().Where(h => h.SegmentId == id).OrderBy(h => h.At).ThenBy(h => h.Id)
            .Select(h => new SegmentHistoryPoint(h.At, h.Size, h.Entries, h.Exits)).ToListAsync(ct);
    }

    // Members in both segments, for each pair (the diagonal is each segment's size), evaluated now.
    public async Task<long[,]> OverlapAsync(IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        var rules = new List<RuleGroup>();
        foreach (var id in ids) rules.Add(await RuleOfAsync(id, ct) ?? throw new ArgumentException($"no segment {id}", nameof(ids)));
        var matrix = new long[ids.Count, ids.Count];
        await using var connection = await OpenAsync(ct);
        var now = Now;
        for (var i = 0; i < rules.Count; i++)
        {
            for (var j = i; j < rules.Count; j++)
            {
                var both = new RuleGroup { Op = RuleOps.And, Groups = [rules[i], rules[j]] };
                matrix[i, j] = matrix[j, i] = await RuleQuery.CountAsync(connection, RuleSqlCompiler.Compile(both, now), ct);
            }
        }
        return matrix;
    }

    public static readonly string[] ExportColumns =
        ["customer_id", "first_name", "last_name", "email", "region", "city", "loyalty_tier", "preferred_channel", "orders", "net_revenue", "predicted_value_12m"];

    // Streams the members as CSV, row by row from the reader. False when there is no such segment.
    public async Task<bool> ExportAsync(long id, Stream output, CancellationToken ct = default)
    {
        var rule = await RuleOfAsync(id, ct);
        if (rule is null) return false;
        await ExportAsync(rule, output, ct);
        return true;
    }

    // The members as CSV rows (the column names first), for a caller that writes them with its own rules (masking).
    public async Task<IAsyncEnumerable<IReadOnlyList<string?>>?> ExportRowsAsync(long id, CancellationToken ct = default)
    {
        var rule = await RuleOfAsync(id, ct);
        return rule is null ? null : ExportRowsAsync(rule, ct);
    }

    public async Task ExportAsync(RuleGroup rule, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await using var csv = SafeCsv.CreateWriter(writer);
        var rows = 0;
        await foreach (var row in ExportRowsAsync(rule, ct))
        {
            csv.WriteRow(row);
            if (++rows % 10_000 == 0) await csv.FlushAsync();
        }
        await csv.FlushAsync();
    }

    private async IAsyncEnumerable<IReadOnlyList<string?>> ExportRowsAsync(RuleGroup rule,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = RuleQuery.Command(connection, Compile(rule),
            "c.customer_id, c.first_name, c.last_name, c.email, c.region, c.city, c.loyalty_tier, c.preferred_channel, " +
            "COALESCE(f.orders, 0), COALESCE(f.net_revenue, 0), f.predicted_value_12m", "ORDER BY c.customer_id", withFeatures: true);
        await using var reader = await command.ExecuteReaderAsync(ct);
        yield return ExportColumns;
        while (await reader.ReadAsync(ct))
        {
            var row = new string?[11];
            for (var i = 0; i < 8; i++) row[i] = reader.IsDBNull(i) ? "" : reader.GetString(i);
            row[8] = reader.GetInt64(8).ToString(CultureInfo.InvariantCulture);
            row[9] = reader.GetDouble(9).ToString("0.##", CultureInfo.InvariantCulture);
            row[10] = reader.IsDBNull(10) ? "" : reader.GetDouble(10).ToString("0.##", CultureInfo.InvariantCulture);
            yield return row;
        }
    }
}
