using Workbench.Core.Audit;
using System.Globalization;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Customers;
using Workbench.Core.Data;
using Workbench.Core.Segments.Facts;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Segments;

// Counts, samples and KPIs of a rule; saved segments with versions; membership refresh; CSV export.
// Rule evaluation is plain parameterised SQL (RuleSqlCompiler); "now" comes from the TimeProvider.
public sealed partial class SegmentService(IDbContextFactory<WorkbenchDbContext> dbFactory, StoreLocation store, TimeProvider time, AuditService audit,
    StoreWriteGate gate, SegmentLimits? limits = null, SegmentFactsCache? facts = null)
{
    public SegmentLimits Limits { get; } = limits ?? SegmentLimits.Default;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public CompiledRule Compile(RuleGroup rule) => RuleSqlCompiler.Compile(rule, Now);

    // Counts and KPIs come from the in-memory segment facts when they are current and hold every field the rule tests;
    // otherwise (just after a change, or a field with irregular stored values) from SQL. Both give the same answer.
    public async Task<long> CountAsync(RuleGroup rule, CancellationToken ct = default) =>
        FactsFor(rule) is { } current
            ? FactsEvaluator.Evaluate(rule, current, Now, ct).Size()
            : await LimitedAsync(connection => RuleQuery.CountAsync(connection, Compile(rule), ct), ct);

    private SegmentFacts? FactsFor(RuleGroup rule) => facts?.Current() is { } current && FactsEvaluator.CanEvaluate(rule, current) ? current : null;

    public async Task<IReadOnlyList<SegmentMemberRow>> SampleAsync(RuleGroup rule, int n, CancellationToken ct = default) =>
        await MemberRowsAsync(Compile(rule), n, 0, ct);

    // A rule evaluated for someone waiting (count, KPIs, sample, a page of members), from any role, runs within
    // Limits.TimeLimit: past it the statement is stopped, the connection released, and SegmentTimeLimitException says so.
    private async Task<T> LimitedAsync<T>(Func<DbConnection, Task<T>> run, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        using var deadline = QueryDeadline.Start(connection, Limits.TimeLimit, ct);
        try
        {
            return await run(connection);
        }
        catch (Exception e) when (QueryDeadline.IsInterrupt(e) && deadline.Expired)
        {
            throw new SegmentTimeLimitException(Limits.TimeLimit, e);
        }
        catch (Exception e) when (QueryDeadline.IsInterrupt(e) && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("the evaluation was cancelled", e, ct);
        }
    }

    public async Task<SegmentKpis> KpisAsync(RuleGroup rule, CancellationToken ct = default)
    {
        if (FactsFor(rule) is not { } current) return await LimitedAsync(connection => KpisAsync(connection, Compile(rule), ct), ct);
        var k = FactsEvaluator.Kpis(FactsEvaluator.Evaluate(rule, current, Now, ct), current);
        return Kpis(k.Size, k.Total, k.Revenue, k.AllRevenue, k.Computed, k.Reach);
    }

    private static SegmentKpis Kpis(long size, long total, double revenue, double allRevenue, bool computed, IEnumerable<(string Channel, long Granted)> reach) =>
        new(size, total, total == 0 ? 0 : (double)size / total, revenue,
            allRevenue == 0 ? 0 : revenue / allRevenue, size == 0 ? 0 : revenue / size,
            [.. reach.Select(r => new ChannelReach(r.Channel, r.Granted, size == 0 ? 0 : (double)r.Granted / size))], computed);

    private static async Task<SegmentKpis> KpisAsync(DbConnection connection, CompiledRule compiled, CancellationToken ct)
    {
        long size;
        double revenue;
        using var interrupt = RuleQuery.InterruptOn(connection, ct);
        await using (var command = RuleQuery.Command(connection, compiled, "COUNT(*), COALESCE(SUM(f.net_revenue), 0)", withFeatures: true))
        await using (var reader = await RuleQuery.ThrowIfInterrupted(() => command.ExecuteReaderAsync(ct), ct))
        {
            await reader.ReadAsync(ct);
            size = reader.GetInt64(0);
            revenue = reader.GetDouble(1);
        }
        var total = await ScalarAsync<long>(connection, "SELECT COUNT(*) FROM customers", ct);
        var allRevenue = await ScalarAsync<double>(connection, "SELECT COALESCE(SUM(net_revenue), 0) FROM customer_features", ct);
        var computed = await ScalarAsync<long>(connection, "SELECT EXISTS (SELECT 1 FROM customer_features)", ct) == 1;

        var reach = Channels.Contact.ToDictionary(c => c, _ => 0L);
        await using (var command = RuleQuery.Command(connection, compiled, "c.customer_id"))
        {
            // Members first (materialised), then one primary-key seek each into consents; CROSS JOIN keeps that order.
            command.CommandText = $"WITH m AS MATERIALIZED ({command.CommandText}) " +
                "SELECT k.channel, COUNT(*) FROM m CROSS JOIN consents k ON k.customer_id = m.customer_id WHERE k.status = 'granted' GROUP BY k.channel";
            await using var reader = await RuleQuery.ThrowIfInterrupted(() => command.ExecuteReaderAsync(ct), ct);
            while (await reader.ReadAsync(ct)) reach[reader.GetString(0)] = reader.GetInt64(1);
        }
        return Kpis(size, total, revenue, allRevenue, computed, reach.Select(r => (r.Key, r.Value)));
    }

    // Distinct values of a profile or feature column, for the value pickers.
    public async Task<IReadOnlyList<string>> ValuesAsync(string fieldId, CancellationToken ct = default)
    {
        var field = FieldCatalog.Find(fieldId);
        string sql;
        if (field is { Kind: FieldKind.BoughtCategory }) sql = "SELECT DISTINCT category FROM products ORDER BY 1 LIMIT 200";
        else if (field is { Kind: FieldKind.Event }) sql = "SELECT DISTINCT type FROM customer_event_activity UNION SELECT 'cart_abandon' UNION SELECT 'email_open' UNION SELECT 'email_click' ORDER BY 1 LIMIT 200";
        else if (field is { Source: FieldSource.Profile or FieldSource.Features, Kind: FieldKind.Text or FieldKind.Choice })
            sql = $"SELECT DISTINCT {field.Column} FROM {(field.Source == FieldSource.Profile ? "customers" : "customer_features")} WHERE {field.Column} IS NOT NULL AND {field.Column} <> '' ORDER BY 1 LIMIT 200";
        else return field?.Choices ?? [];
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<string>();
        while (await reader.ReadAsync(ct)) values.Add(reader.GetString(0));
        return values;
    }

    public async Task<IReadOnlyList<SegmentSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Segment>().AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new SegmentSummary(s.Id, s.Name, s.Description, s.Owner, s.Version, s.UpdatedAt, s.UpdatedBy, s.LastRefreshAt, s.LastSize))
            .ToListAsync(ct);
    }

    public async Task<SegmentDetail?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Segment>().AsNoTracking().Where(s => s.Id == id)
            .Select(s => new SegmentDetail(s.Id, s.Name, s.Description, s.Owner, s.RuleJson, s.Version, s.CreatedAt, s.UpdatedAt,
                s.UpdatedBy, s.LastRefreshAt, s.LastSize))
            .FirstOrDefaultAsync(ct);
    }

    public async Task<IReadOnlyList<SegmentVersionItem>> VersionsAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<SegmentVersion>().AsNoTracking().Where(v => v.SegmentId == id).OrderByDescending(v => v.Version)
            .Select(v => new SegmentVersionItem(v.Version, v.Name, v.SavedBy, v.SavedAt, v.Change, v.RuleJson))
            .ToListAsync(ct);
    }

    public async Task<SaveResult> SaveAsync(SegmentDraft draft, string user, CancellationToken ct = default)
    {
        var name = draft.Name.Trim();
        if (name.Length == 0) return new SaveResult(draft.Id, draft.ExpectedVersion, "Give the segment a name.");
        if (name.Length > 120) return new SaveResult(draft.Id, draft.ExpectedVersion, "The name is longer than 120 characters.");
        var parsed = RuleJson.Parse(draft.RuleJson);
        if (!parsed.IsValid) return new SaveResult(draft.Id, draft.ExpectedVersion, "The rule has problems: " + string.Join("; ", parsed.Problems));
        var ruleJson = RuleJson.Serialize(parsed.Rule!);
        var description = draft.Description.Trim();
        var now = Now;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<Segment>().AnyAsync(s => s.Name == name && s.Id != draft.Id, ct))
            return new SaveResult(draft.Id, draft.ExpectedVersion, $"A segment named '{name}' already exists.");

        Segment segment;
        string change;
        var ruleChanged = true;
        Dictionary<string, string?> before = [];
        if (draft.Id is null)
        {
            segment = new Segment
            {
                Name = name, Description = description, Owner = user, RuleJson = ruleJson, Version = 1,
                CreatedAt = now, UpdatedAt = now, UpdatedBy = user,
            };
            db.Add(segment);
            change = $"created with {CountConditions(parsed.Rule!)} condition(s)";
        }
        else
        {
            var found = await db.Set<Segment>().FirstOrDefaultAsync(s => s.Id == draft.Id, ct);
            if (found is null) return new SaveResult(draft.Id, draft.ExpectedVersion, $"Segment {draft.Id} no longer exists; it may have been deleted.");
            if (found.Version != draft.ExpectedVersion) return Stale(found, draft.ExpectedVersion);
            segment = found;
            before = AuditFields(segment.Name, segment.Description, segment.RuleJson);
            change = Describe(segment, name, description, ruleJson, parsed.Rule!);
            if (change.Length == 0) return new SaveResult(segment.Id, segment.Version, null);
            ruleChanged = segment.RuleJson != ruleJson;
            segment.Name = name;
            segment.Description = description;
            segment.RuleJson = ruleJson;
            segment.Version++;
            segment.UpdatedAt = now;
            segment.UpdatedBy = user;
        }
        try
        {
            // The segment and its version row together, or neither.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            db.Add(new SegmentVersion
            {
                SegmentId = segment.Id, Version = segment.Version, Name = name, Description = description, RuleJson = ruleJson,
                SavedBy = user, SavedAt = now, Change = change,
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await audit.RecordAsync(user, draft.Id is null ? AuditActions.Create : AuditActions.Update, AuditEntities.Segment,
                segment.Id.ToString(CultureInfo.InvariantCulture), AuditService.Diff(before, AuditFields(name, description, ruleJson)), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            var current = await fresh.Set<Segment>().AsNoTracking().FirstAsync(s => s.Id == segment.Id, ct);
            return Stale(current, draft.ExpectedVersion);
        }
        // Members and size at once, so the list never shows a saved segment without them.
        if (ruleChanged) await RefreshAsync(segment.Id, parsed.Rule!, ct);
        return new SaveResult(segment.Id, segment.Version, null);
    }

    private static SaveResult Stale(Segment current, int expected) => new(current.Id, expected,
        $"Not saved: {current.UpdatedBy} saved version {current.Version} at {current.UpdatedAt:yyyy-MM-dd HH:mm} UTC after you opened " +
        $"version {expected}. Reload the segment to see their changes, then make yours again.");

    private static string Describe(Segment old, string name, string description, string ruleJson, RuleGroup rule)
    {
        var parts = new List<string>();
        if (old.Name != name) parts.Add($"renamed '{old.Name}' → '{name}'");
        if (old.Description != description) parts.Add("description changed");
        if (old.RuleJson != ruleJson)
        {
            var before = RuleJson.Parse(old.RuleJson).Rule;
            var (was, now) = (before is null ? 0 : CountConditions(before), CountConditions(rule));
            parts.Add(was == now ? $"rule edited ({now} condition(s))" : $"rule edited ({was} → {now} conditions)");
        }
        return string.Join("; ", parts);
    }

    private static int CountConditions(RuleGroup g) => g.Conditions.Count + g.Groups.Sum(CountConditions);

    public async Task<bool> DeleteAsync(long id, string user, CancellationToken ct = default)
    {
        var segment = await GetAsync(id, ct);
        await using var connection = await OpenAsync(ct);
        await using var tx = connection.BeginTransaction();
        foreach (var table in new[] { "segment_members", "segment_size_history", "segment_versions" })
            await ExecuteAsync(connection, $"DELETE FROM {table} WHERE segment_id = $id", ct, ("$id", id));
        var deleted = await ExecuteAsync(connection, "DELETE FROM segments WHERE id = $id", ct, ("$id", id));
        await tx.CommitAsync(ct);
        if (deleted > 0 && segment is not null)
        {
            await audit.RecordAsync(user, AuditActions.Delete, AuditEntities.Segment, id.ToString(CultureInfo.InvariantCulture),
                AuditService.Diff(AuditFields(segment.Name, segment.Description, segment.RuleJson), new Dictionary<string, string?>()), ct);
        }
        return deleted > 0;
    }

    public async Task<MembersPage?> MembersAsync(long id, int page, int pageSize, CancellationToken ct = default)
    {
        var rule = await RuleOfAsync(id, ct);
        if (rule is null) return null;
        page = Math.Max(page, 1);
        pageSize = Math.Clamp(pageSize, 1, 1000);
        var total = await CountAsync(rule, ct);
        return new MembersPage(total, page, pageSize, await MemberRowsAsync(Compile(rule), pageSize, (page - 1) * pageSize, ct));
    }

    private static Dictionary<string, string?> AuditFields(string name, string? description, string ruleJson) => new()
    {
        ["name"] = name,
        ["description"] = description,
        ["rule"] = ruleJson,
    };

    private async Task<RuleGroup?> RuleOfAsync(long id, CancellationToken ct)
    {
        var segment = await GetAsync(id, ct);
        return segment is null ? null : RuleJson.Parse(segment.RuleJson).Rule;
    }

    private Task<IReadOnlyList<SegmentMemberRow>> MemberRowsAsync(CompiledRule compiled, int limit, int offset, CancellationToken ct) =>
        LimitedAsync(connection => MemberRowsAsync(connection, compiled, limit, offset, ct), ct);

    private static async Task<IReadOnlyList<SegmentMemberRow>> MemberRowsAsync(DbConnection connection, CompiledRule compiled,
        int limit, int offset, CancellationToken ct)
    {
        await using var command = RuleQuery.Command(connection, compiled,
            "c.customer_id, c.first_name, c.last_name, c.region, c.loyalty_tier, COALESCE(f.net_revenue, 0), COALESCE(f.orders, 0)",
            $"ORDER BY c.customer_id LIMIT {limit.ToString(CultureInfo.InvariantCulture)} OFFSET {offset.ToString(CultureInfo.InvariantCulture)}",
            withFeatures: true);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<SegmentMemberRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new SegmentMemberRow(reader.GetString(0), Text(reader, 1), Text(reader, 2), Text(reader, 3), Text(reader, 4),
                reader.GetDouble(5), reader.GetInt64(6)));
        }
        return (IReadOnlyList<SegmentMemberRow>)rows;
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private Task<DbConnection> OpenAsync(CancellationToken ct) => StoreSql.OpenAsync(store, ct);

    internal static async Task<T> ScalarAsync<T>(DbConnection connection, string sql, CancellationToken ct, params (string, object)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(ct))!, typeof(T), CultureInfo.InvariantCulture);
    }

    internal static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken ct, params (string, object)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
