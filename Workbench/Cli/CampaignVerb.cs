using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;

namespace Workbench.Cli;

public static partial class CommandLine
{
    private const string CampaignUsage = "campaign takes list or run: campaign list [--status draft|scheduled|paused|finished] | campaign run <id> [--dry-run]";

    // campaign list: every campaign, next run first, one line each (tab-separated, so it pipes into cut or a spreadsheet).
    // campaign run <id> [--dry-run]: runs the campaign now into the outbox (or only counts what it would do).
    private static async Task<int> CampaignVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var action = args.Positional.Count > 0 ? args.Positional[0].ToLowerInvariant() : "";
        if (action == "run") return await CampaignRunAsync(args, stdout, stderr, ct);
        args.AllowOnly("db", "status");
        if (action != "list" || args.Positional.Count != 1) throw new CliUsageException(CampaignUsage);
        CampaignStatus? status = null;
        if (args.Get("status") is { } s)
        {
            if (!Enum.GetValues<CampaignStatus>().Any(v => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()) == s))
                throw new CliUsageException($"--status is draft, scheduled, paused or finished, not '{s}'");
            status = Enum.GetValues<CampaignStatus>().Single(v => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()) == s);
        }
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var store = services.GetRequiredService<CampaignStore>();
        await stdout.WriteLineAsync("id\tname\tstatus\tstage\tnext_run_utc\tplays\tcontrol_percent\tvariants\tversion");
        var total = 0;
        for (var skip = 0; ; skip += CampaignFilter.MaxTake)
        {
            var page = await store.ListAsync(new CampaignFilter(Status: status, Skip: skip, Take: CampaignFilter.MaxTake), ct);
            foreach (var c in page.Items)
            {
                var next = c.NextRunAt is { } at ? at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";
                await stdout.WriteLineAsync(string.Join('\t', c.Id, c.Name.Replace('\t', ' '), Snake(c.Status), Snake(c.Stage), next, c.Campaign.PlayIds.Count,
                    c.Campaign.ControlPercent.ToString(CultureInfo.InvariantCulture), string.Join(",", c.Campaign.Variants.Select(v => v.Name)), c.Version));
            }
            total += page.Items.Count;
            if (page.Items.Count < CampaignFilter.MaxTake) break;
        }
        await stderr.WriteLineAsync($"{total} campaign(s)");
        return 0;
    }

    private static async Task<int> CampaignRunAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db", "dry-run");
        if (args.Positional.Count != 2) throw new CliUsageException(CampaignUsage);
        var id = args.Positional[1];
        var dry = args.Has("dry-run");
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        if (await services.GetRequiredService<CampaignStore>().GetAsync(id, ct) is not { } campaign)
        {
            await stderr.WriteLineAsync($"there is no campaign '{id}'; campaign list shows them");
            return 1;
        }
        var runner = services.GetRequiredService<CampaignRunner>();
        var clock = services.GetRequiredService<TimeProvider>();
        var progress = new Progress<CampaignRunProgress>(p => stderr.WriteLine($"{p.Processed:N0} of {p.Customers:N0} customers"));
        CampaignRunCounts counts;
        if (dry)
        {
            counts = await runner.DryRunAsync(campaign, clock.GetUtcNow().UtcDateTime, progress, ct);
            await stdout.WriteLineAsync($"dry run of {campaign.Id} (nothing written)");
        }
        else
        {
            if (campaign.Status is CampaignStatus.Draft or CampaignStatus.Finished)
            {
                await stderr.WriteLineAsync($"campaign '{id}' is {Snake(campaign.Status)}: schedule or pause it first, or use --dry-run");
                return 1;
            }
            if (await runner.ClaimManualAsync(campaign, Environment.UserName, ct) is not { } runId)
            {
                await stderr.WriteLineAsync("a run of this campaign started this very second; try again");
                return 1;
            }
            await runner.ExecuteAsync(runId, progress, ct);
            var run = (await runner.GetAsync(runId, ct))!;
            if (run.Status != CampaignRunStatus.Succeeded)
            {
                await stderr.WriteLineAsync($"run {runId} {run.Status.ToString().ToLowerInvariant()}: {run.Error}");
                return 1;
            }
            counts = await runner.CountsAsync(runId, ct);
            await stdout.WriteLineAsync($"run {runId} of {campaign.Id}: the send list is GET /api/runs/{runId}/sends (or sends.csv)");
        }
        await stdout.WriteLineAsync($"customers\t{counts.Customers}");
        await stdout.WriteLineAsync($"targeted\t{counts.Targeted}");
        await stdout.WriteLineAsync($"sent\t{counts.Sent}");
        foreach (var (name, group) in new[] { ("arm", counts.ByArm), ("variant", counts.ByVariant), ("channel", counts.ByChannel), ("reason", counts.ByReason), ("play", counts.ByPlay) })
            foreach (var (key, n) in group) await stdout.WriteLineAsync($"{name}:{key}\t{n}");
        await stdout.WriteLineAsync($"stopped_by_caps_or_quiet_hours\t{counts.Stopped}");
        await stdout.WriteLineAsync($"lost_score\t{counts.LostScore.ToString("0.####", CultureInfo.InvariantCulture)}");
        return 0;
    }

    private static string Snake<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
