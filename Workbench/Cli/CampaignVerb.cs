using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // campaign list: every campaign, next run first, one line each (tab-separated, so it pipes into cut or a spreadsheet).
    private static async Task<int> CampaignVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db", "status");
        var action = args.Positional.Count > 0 ? args.Positional[0].ToLowerInvariant() : "";
        if (action != "list" || args.Positional.Count != 1)
            throw new CliUsageException("campaign takes list: campaign list [--status draft|scheduled|paused|finished]");
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

    private static string Snake<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
