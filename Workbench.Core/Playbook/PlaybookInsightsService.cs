using System.Data.Common;
using System.Globalization;
using System.Text;
using Workbench.Core.Data;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

// The use-case catalogue's figures and the content-gap matrix, from the playbook and the store. A use case's audience is
// everyone at least one of its active plays reaches by segment and conditions (exclusions, context and triggers
// depend on the moment and are left out); one pass over the customers per use case counts it with its fields, orders,
// revenue and consents.
public sealed class PlaybookInsightsService(StoreLocation store, PlaybookStore playbook, SegmentService segments, TimeProvider clock)
{
    public Task<PlaybookFile> PlaybookAsync(CancellationToken ct) => playbook.ExportAsync(ct);

    public async Task<IReadOnlyList<UseCaseInsight>> UseCasesAsync(CancellationToken ct) => await UseCasesAsync(await PlaybookAsync(ct), ct);

    public async Task<IReadOnlyList<UseCaseInsight>> UseCasesAsync(PlaybookFile file, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var result = new List<UseCaseInsight>();
        await using var connection = await StoreSql.OpenAsync(store, ct);
        foreach (var useCase in file.UseCases)
        {
            var plays = file.Plays.Where(p => p.UseCaseId == useCase.Id).ToList();
            var active = plays.Where(p => p.Status == PlayStatus.Active).ToList();
            var fields = UseCaseRanking.CustomerFields(active);
            var channels = active.SelectMany(p => p.Channels).Distinct().Order(StringComparer.Ordinal).ToList();
            var counts = await CountAsync(connection, active, fields, channels, now, ct);
            var inputs = new UseCaseInputs(counts.Audience, UseCaseInputs.DefaultUpliftPercent, counts.Orders == 0 ? 0 : Math.Round(counts.Revenue / counts.Orders, 2));
            var feasibility = new Feasibility(fields.Select((f, i) => new FieldFill(f, counts.Filled[i], counts.Audience)).ToList(),
                UseCaseRanking.ContentCells(plays), counts.Consented, counts.Audience);
            result.Add(new UseCaseInsight(useCase, plays.Count, active.Count, plays.SelectMany(UseCaseRanking.SegmentsOf).Distinct().ToList(),
                channels, inputs, feasibility));
        }
        return result;
    }

    public async Task<GapMatrix> GapsAsync(string? channel, CancellationToken ct)
    {
        if (channel is not null && !PlayChannels.WithContent.Contains(channel))
            throw new ArgumentException($"channel '{channel}' is not one of {string.Join(", ", PlayChannels.WithContent)}", nameof(channel));
        var plays = await PlaybookAsync(ct);
        var saved = await segments.ListAsync(ct);
        return ContentGaps.Compute(plays, saved.Select(s => (s.Id, s.Name)).ToList(), channel);
    }

    private sealed record Counts(long Audience, double Revenue, double Orders, long Consented, long[] Filled);

    private static async Task<Counts> CountAsync(DbConnection connection, IReadOnlyList<Play> active, IReadOnlyList<string> fields,
        IReadOnlyList<string> channels, DateTime now, CancellationToken ct)
    {
        var parameters = new List<(string, object?)>();
        var reach = new List<string>();
        for (var k = 0; k < active.Count; k++)
        {
            var clause = Reach(active[k], k, now, parameters);
            if (clause is not null) reach.Add(clause);
        }
        if (reach.Count == 0) return new Counts(0, 0, 0, 0, new long[fields.Count]);
        var channelList = string.Join(", ", channels.Select((ch, i) =>
        {
            parameters.Add(($"$ch{i}", ch));
            return $"$ch{i}";
        }));
        var consent = channels.Count == 0 ? "0"
            : $"EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.status = 'granted' AND k.channel IN ({channelList}))";
        var sql = new StringBuilder("SELECT COUNT(*), TOTAL(f.net_revenue), TOTAL(f.orders), TOTAL(").Append(consent).Append(')');
        foreach (var field in fields)
        {
            var column = UseCaseFields.Column[field];
            sql.Append(CultureInfo.InvariantCulture, $", TOTAL({column} IS NOT NULL AND {column} <> '')");
        }
        sql.Append(" FROM ").Append(CompiledRule.From).Append(" WHERE ").Append(string.Join(" OR ", reach.Select(r => $"({r})")));
        await using var command = connection.Command(sql.ToString(), [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var filled = new long[fields.Count];
        for (var i = 0; i < filled.Length; i++) filled[i] = (long)reader.GetDouble(4 + i);
        return new Counts(reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2), (long)reader.GetDouble(3), filled);
    }

    // Who the play reaches: its segments (any or all) and its conditions; null when its conditions are not a valid rule.
    private static string? Reach(Play play, int k, DateTime now, List<(string, object?)> parameters)
    {
        var parts = new List<string>();
        var ids = play.Audience.SegmentIds;
        if (ids.Count > 0)
        {
            var list = string.Join(", ", ids.Distinct().Select(i => i.ToString(CultureInfo.InvariantCulture)));
            parts.Add(play.Audience.Match == SegmentMatch.All
                ? $"(SELECT COUNT(*) FROM segment_members m WHERE m.customer_id = c.customer_id AND m.segment_id IN ({list})) = {ids.Distinct().Count()}"
                : $"c.customer_id IN (SELECT customer_id FROM segment_members WHERE segment_id IN ({list}))");
        }
        if (play.Audience.Conditions is { } rule)
        {
            if (RuleValidator.Validate(rule).Count > 0) return null;
            var compiled = RuleSqlCompiler.Compile(rule, now);
            var prefix = $"$u{k}p";
            parts.Add(compiled.Where.Replace("$p", prefix, StringComparison.Ordinal));
            foreach (var (name, value) in compiled.Parameters) parameters.Add((prefix + name[2..], value));
        }
        return parts.Count == 0 ? "1" : string.Join(" AND ", parts);
    }
}
