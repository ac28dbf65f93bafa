using System.Diagnostics;
using System.Text.Json;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Workbench.Core.Data;
using Workbench.Core.Import;

namespace Workbench.Core.Quality;

public sealed class QualityService(
    IDbContextFactory<WorkbenchDbContext> dbFactory,
    StoreLocation store,
    TimeProvider clock,
    ILogger<QualityService> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<QualityReport> ComputeAsync(CancellationToken ct) => ComputeAsync(null, null, ct);

    // With a previous report and the tables that changed since, checks and completeness of unchanged tables are
    // carried over instead of recomputed (a transactions import need not rescan 20M events).
    public async Task<QualityReport> ComputeAsync(IReadOnlySet<string>? changedTables, QualityReport? previous, CancellationToken ct)
    {
        bool Reuse(IReadOnlySet<string> tables) => previous is not null && changedTables is not null && !tables.Overlaps(changedTables);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var entities = new List<EntityQuality>();
        foreach (var (entity, fields) in QualityRules.CompletenessFields)
        {
            if (Reuse(new HashSet<string> { entity }) && previous!.Entities.FirstOrDefault(e => e.Entity == entity) is { } kept
                && kept.Fields.Select(f => f.Field).SequenceEqual(fields))
            {
                entities.Add(kept);
                continue;
            }
            var sql = $"SELECT COUNT(*), {string.Join(", ", fields.Select(f => $"COUNT(NULLIF(trim({f}), ''))"))} FROM {entity}";
            await using var command = connection.Command(sql);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var rows = reader.GetInt64(0);
            entities.Add(new EntityQuality(entity, rows, fields.Select((f, i) =>
            {
                var filled = reader.GetInt64(i + 1);
                return new FieldCompleteness(f, filled, rows > 0 ? Math.Round(100.0 * filled / rows, 1) : 100);
            }).ToList()));
        }

        var checks = new List<QualityCheck>();
        foreach (var rule in QualityRules.All)
        {
            if (Reuse(rule.Tables) && previous!.Checks.FirstOrDefault(c => c.Key == rule.Key) is { } same)
            {
                checks.Add(same with { Title = rule.Title, Explanation = rule.Explanation, InScore = rule.InScore });
                continue;
            }
            var population = await ScalarAsync(connection, rule.Population, now, ct);
            var offenders = await ScalarAsync(connection, $"SELECT COUNT(*) FROM ({rule.Offenders})", now, ct);
            checks.Add(new QualityCheck(rule.Key, rule.Entity, rule.Title, rule.Explanation, offenders, population, rule.InScore));
        }
        var rejected = new List<RejectedAtImport>();
        await using (var command = connection.Command("""
            SELECT id, kind, file_name, started_at, rejected, rejected_rows_file IS NOT NULL FROM import_runs
            WHERE outcome = 'Imported' AND rejected > 0 ORDER BY id DESC LIMIT 20
            """))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                rejected.Add(new RejectedAtImport(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.Time(3)!.Value,
                    reader.GetInt64(4), reader.GetInt64(5) == 1));
        }
        return new QualityReport(now, Math.Floor(QualityRules.Score(checks) * 10) / 10, QualityRules.ScoreDefinition, entities, checks, rejected);
    }

    // The offending records of one check, a page at a time (sorted by their key).
    public async Task<QualityRecords?> RecordsAsync(string key, int skip, int take, CancellationToken ct)
    {
        if (QualityRules.Find(key) is not { } rule) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var total = await ScalarAsync(connection, $"SELECT COUNT(*) FROM ({rule.Offenders})", now, ct);
        await using var command = WithTimes(connection.Command($"SELECT * FROM ({rule.Offenders}) ORDER BY 1 LIMIT $take OFFSET $skip",
            ("$take", take), ("$skip", skip)), now);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<IReadOnlyList<string?>>();
        while (await reader.ReadAsync(ct)) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.AsText(i)).ToList());
        return new QualityRecords(columns, rows, total);
    }

    // Every offending record of one check, streamed: the header, then one row at a time.
    public async IAsyncEnumerable<IReadOnlyList<string?>> StreamRecordsAsync(string key,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (QualityRules.Find(key) is not { } rule) yield break;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var command = WithTimes(connection.Command($"SELECT * FROM ({rule.Offenders}) ORDER BY 1"), clock.GetUtcNow().UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync(ct);
        yield return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        while (await reader.ReadAsync(ct)) yield return Enumerable.Range(0, reader.FieldCount).Select(i => reader.AsText(i)).ToList();
    }

    public async Task<QualitySnapshot> RecordSnapshotAsync(long? importRunId, CancellationToken ct, string? changedTable = null)
    {
        var previous = changedTable is null ? null : (await LatestAsync(ct))?.Report;
        var report = await ComputeAsync(changedTable is null ? null : new HashSet<string> { changedTable }, previous, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snapshot = new QualitySnapshot
        {
            ImportRunId = importRunId,
            TakenAt = report.TakenAt,
            Score = report.Score,
            FiguresJson = JsonSerializer.Serialize(report, Json),
        };
        db.QualitySnapshots.Add(snapshot);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Quality snapshot {Id} (import {ImportId}, {Scope})", snapshot.Id, importRunId, changedTable ?? "every check");
        return snapshot;
    }

    // The figures recorded after the latest import, or null when no snapshot exists yet.
    public async Task<(QualityReport Report, long? ImportRunId)?> LatestAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.QualitySnapshots.AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        if (latest is null || JsonSerializer.Deserialize<QualityReport>(latest.FiguresJson, Json) is not { } report) return null;
        return (report, latest.ImportRunId);
    }

    public async Task<IReadOnlyList<QualityTrendPoint>> TrendAsync(int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snapshots = await db.QualitySnapshots.AsNoTracking().OrderByDescending(s => s.Id).Take(take).ToListAsync(ct);
        return snapshots.OrderBy(s => s.Id).Select(s =>
        {
            var report = JsonSerializer.Deserialize<QualityReport>(s.FiguresJson, Json);
            var offenders = report?.Checks.ToDictionary(c => c.Key, c => c.Offenders) ?? [];
            return new QualityTrendPoint(s.Id, s.ImportRunId, s.TakenAt, s.Score, offenders);
        }).ToList();
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql, DateTime now, CancellationToken ct)
    {
        await using var command = WithTimes(connection.Command(sql), now);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct) ?? 0L);
    }

    private static DbCommand WithTimes(DbCommand command, DateTime now)
    {
        if (command.CommandText.Contains("$now")) command.Parameters.AddWithValue("$now", StoreTime.Format(now));
        if (command.CommandText.Contains("$today")) command.Parameters.AddWithValue("$today", StoreTime.Format(DateOnly.FromDateTime(now)));
        if (command.CommandText.Contains("$since")) command.Parameters.AddWithValue("$since", StoreTime.Format(now.AddMonths(-12)));
        return command;
    }
}
