using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Workbench.Core;
using Workbench.Core.Data;
using Workbench.Core.Import;

namespace Workbench.Cli;

// The command-line verbs of the same executable. They act on the local store file directly.
public static partial class CommandLine
{
    private static readonly string[] Verbs = ["import", "generate", "bench", "customer", "quality", "features", "clv", "segment", "analyze", "jobs", "preview", "plays", "decide", "campaign", "simulate", "backup", "restore", "help", "--help", "-h"];

    // What the web host itself reads from the command line; anything else is a verb or a mistake.
    private static readonly string[] HostOptions = ["urls", "environment", "contentRoot", "applicationName", "webroot"];

    public static LaunchKind Classify(string[] args)
    {
        if (args.Length == 0) return LaunchKind.Server;
        if (string.Equals(args[0], "serve", StringComparison.OrdinalIgnoreCase))
            return AreHostOptions(args[1..]) ? LaunchKind.Server : LaunchKind.Unknown;
        if (Verbs.Contains(args[0], StringComparer.OrdinalIgnoreCase)) return LaunchKind.Verb;
        return AreHostOptions(args) ? LaunchKind.Server : LaunchKind.Unknown;
    }

    public static string[] ServerArguments(string[] args) =>
        args.Length > 0 && string.Equals(args[0], "serve", StringComparison.OrdinalIgnoreCase) ? args[1..] : args;

    // --urls X, and configuration overrides: --Workbench:LoadSampleData false, or any --key=value (the test host
    // passes its settings that way, section names with empty values included).
    private static bool AreHostOptions(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length == 2) return false;
            var option = args[i][2..];
            if (option.IndexOf('=') > 0) continue;
            if (!HostOptions.Contains(option, StringComparer.OrdinalIgnoreCase) && !option.Contains(':')) return false;
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return false;
            i++;
        }
        return true;
    }

    public static int RefuseUnknown(string[] args, TextWriter stderr)
    {
        stderr.WriteLine($"error: '{string.Join(' ', args)}' is not a verb or an option of Workbench.");
        stderr.WriteLine();
        stderr.WriteLine(HelpText);
        return 2;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        try
        {
            return args[0].ToLowerInvariant() switch
            {
                "import" => await ImportVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "generate" => await GenerateVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "bench" => await BenchVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "customer" => await CustomerVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "quality" => await QualityVerbAsync(new CliArgs(args[1..]), stdout, ct),
                "features" => await FeaturesVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "clv" => await ClvVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "segment" => await SegmentVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "analyze" => await AnalyzeVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "jobs" => await JobsVerbAsync(new CliArgs(args[1..]), stdout, ct),
                "preview" => await PreviewVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "plays" => await PlaysVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "decide" => await DecideVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "campaign" => await CampaignVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "simulate" => await SimulateVerbAsync(new CliArgs(args[1..]), stdout, stderr, ct),
                "backup" => await BackupVerbAsync(new CliArgs(args[1..]), stdout, stderr),
                "restore" => await RestoreVerbAsync(new CliArgs(args[1..]), stdout, stderr),
                _ => Help(stdout),
            };
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            await stderr.WriteLineAsync("Run with --help to see the verbs and their options.");
            return 2;
        }
    }

    public const string HelpText = """
        Workbench: personalization at scale.

        Usage: dotnet run --project Workbench [-- <verb> [options]]

        Without a verb, or with the verb serve, the web app starts (binds where --urls says). Anything else that
        is not a verb below prints this text and exits with 2.

        Verbs:
          import <customers|products|transactions|events|consents|outcomes> <file.csv> [--db <sqlite file>] [--skip-invalid]
                 [--encoding utf-8|latin-1|windows-1252]
              Imports a CSV file into the store. All-or-nothing by default: one invalid row and nothing is written.
              With --skip-invalid, valid rows are written and rejected rows go to <file>.rejected.csv.
              Exit 0 when imported, 1 when refused; problems on stderr as file:line: column: reason.
          generate --customers N --out DIR [--seed S] [--end YYYY-MM-DD] [--clean]
              Writes the five CSV files of a synthetic retailer at any scale (deterministic for a seed):
              two years of history ending at --end (default 2026-11-22), customers acquired throughout, buying and
              dropping out as the BG/NBD model says (parameters in sample-data/README.md).
              A few data problems are planted and listed on stderr; with --clean there are none.
          bench import [--customers N] [--keep DIR]
              Generates data, imports it into a fresh store, prints rows/s per kind and peak memory,
              and times Debian's sqlite3 .import of the same files into bare tables as the floor.
          bench customers [--customers N] [--keep DIR]
              Loads data as bench import does (or reuses DIR/bench.db from an earlier --keep run), then times
              the customer_stats rebuild, the customer list's first page (default sort, sorts, searches, filters),
              one profile, the data quality figures, and the KPI overview: its cells' rebuild and a refresh of
              1,000 customers, and the page's first view (segments + last full month), periods and splits.
          bench jobs [--customers N] [--keep DIR]
              Loads data as bench import does (or reuses DIR/bench.db), runs every job for everyone, then imports
              1,000 order lines for 500 customers and reports how soon after its commit their statistics, features
              and every saved segment's membership were current (the templates are saved as segments if there are none).
          bench playbook [--customers N] [--keep DIR]
              Loads data as bench import does (or reuses DIR/bench.db), then times the basket model's rebuild from every
              order line (beside sqlite3 reading the same lines), one customer's eligible plays over 300 active plays with
              their content rendered (median and p95 over 1,000 random customers) and one Liquid e-mail render (median).
          customer <id> [--db <sqlite file>]
              Prints the customer's 360° profile and KPIs as JSON (the same as GET /api/customers/{id}).
              Exit 0 when found, 1 when the id is unknown.
          quality [--db <sqlite file>]
              Prints the data quality figures as JSON (the same as GET /api/quality).
          features rebuild [--db <sqlite file>]
              Rebuilds the customer features (RFM, affinities, engagement, CLV) and prints a JSON summary with the
              fitted CLV parameters. The daily job run does this; after an import only the touched customers are recomputed.
          clv fit --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD] [--db <sqlite file>]
              Fits BG/NBD (r, alpha, a, b) and Gamma-Gamma (p, q, gamma) on the purchases up to the calibration end
              and prints JSON: parameters, log-likelihoods, and per week the actual and predicted repeat purchases.
          segment count --rule <file.json> [--db <sqlite file>]
              Counts the customers a segment rule (JSON, see README) matches now; prints {"count": N}.
              Exit 1 with the rule's problems on stderr when it is invalid.
          segment export <id> --out <file.csv> [--db <sqlite file>]
              Writes the members of saved segment <id> as CSV (streamed; formulas neutralised).
          segment refresh [--db <sqlite file>]
              Re-evaluates every saved segment and records its members, size, entries and exits.
          bench segments [--customers N] [--keep DIR]
              Writes a synthetic store of N customers (default 1,000,000) with filled feature tables set-based in SQL,
              then counts 20 different five-condition rules: median and p90 ms, and peak memory.
          jobs run [--job <name>] [--db <sqlite file>]
              Runs the derived-data jobs for every customer, refitting the population figures (RFM cut points, CLV
              fit, value drivers): all of them in dependency order, or the named job and what depends on it
              (customer-stats, customer-features, segment-memberships, kpi-months, basket-model, quality-snapshot). Exit 1 when a job did not finish.
          jobs list [--db <sqlite file>]
              Prints the running, queued and recent job runs (a run whose process was killed shows as interrupted).
          analyze <file.csv> --variant-column <col> --control <value> --metrics a,b,c [--by <col>] [--pre-metric <col>]
                  [--unit-column <col>] [--correction bh|holm|none] [--correction-scope experiment|metric]
                  [--allocation variant=share,...]
              Analyses a unit-level experiment file (one row per unit; streamed, needs no store) and prints JSON: per
              metric, per variant against the control and per segment (--by) × variant, the lift with its 95% interval,
              p-value, adjusted p-value, chance to beat control, a confidence sequence, CUPED with --pre-metric;
              the sample-ratio check against --allocation (default an equal split) and duplicate units (--unit-column).
              A metric column whose every value is 0/1 (or TRUE/FALSE) is a rate, any other numeric column a mean.
              Exit 0 when analysed, 1 when the file is refused (file:line: column: reason on stderr).
          bench analysis [--cells N] [--rows N] [--seed S] [--keep DIR]
              Analyses, corrects and ranks N segment × variant × metric cells (default 100,000), then generates a
              unit file of --rows rows (default 10,000,000) and times analyze on it with its peak memory.
          preview --play <id> --customer <id> [--channel email|sms|push|app] [--plays <file.json>] [--at <UTC time>]
                  [--db <sqlite file>]
              Prints as JSON what the customer would get from the play now (or --at): per channel the eligibility
              verdict with every reason and the customer's own values, the rendered message, and the recommendations
              with their support, confidence and lift. Plays come from the playbook file (see README), or without one
              from the store's playbook. Exit 1 for an unknown play or customer.
          plays import <file.json> [--db <sqlite file>]
              Imports use cases and plays from a playbook file (see README), all-or-nothing: a play that is new is
              created, a changed one gets a new version, an identical one is left alone. Every play is validated; the
              problems name the JSON path, line and position. Exit 0 when imported, 1 when refused (nothing written).
          plays export <file.json> [--db <sqlite file>]
              Writes every use case and play of the store as a playbook file; importing it back changes nothing.
          decide --customer <id> [--channel email|sms|push|app] [--at <UTC time>] [--db <sqlite file>]
              Prints as JSON the decision engine's choice for the customer now (or --at) over every active play, as
              GET /api/customers/{id}/next-best-action?trace=full: each play and channel with its verdict and every
              reason, the score factors, the contact policy's choice with its trace and what the caps cost. Exit 1 for
              an unknown customer or channel.
          campaign list [--status draft|scheduled|paused|finished] [--db <sqlite file>]
              Lists the campaigns, next run first, tab-separated: id, name, status, stage, next run (UTC), plays,
              control percent, variants, version.
          campaign run <id> [--dry-run] [--db <sqlite file>]
              Runs a scheduled or paused campaign now: every targeted customer's decision into the outbox (the send
              list, GET /api/runs/{id}/sends), then prints the counts per arm, variant, channel, reason and play.
              --dry-run only counts what a run would do now and writes nothing. Exit 1 for an unknown campaign or
              one that cannot run (a draft, a finished one).
          simulate outcomes --run <id> [--seed S] [--db <sqlite file>]
              Gives a finished run's sends outcomes from a seeded response simulator (deliveries, opens, clicks,
              conversions with revenue and margin, unsubscribes; the same for the same seed) with planted effects per
              variant and per segment × variant, imports them as an outcomes file and prints the planted effects.
              Exit 1 for a run that does not exist or has not finished.
          backup --out <file> [--force] [--db <sqlite file>]
              Copies the store into <file> with SQLite's online backup API: one consistent state even while the app
              runs and writes. Refuses an existing file unless --force; writes a temporary file beside it and renames
              it when the copy passed PRAGMA integrity_check, then prints its size, row counts and migration.
              Exit 0 when written, 1 when refused (nothing is left under the file's name).
          restore --from <file> [--force] [--db <sqlite file>]
              Replaces the store with a backup: the file must be a Workbench store that passes integrity_check and
              whose migrations this build knows (an older one is fine: the rest are applied at start-up). Refuses a
              store in use by another process (stop the app first) and, unless --force, a store holding data.
              Exit 0 when restored (its counts checked against the backup's), 1 when refused (the store unchanged).
          serve [--urls <address>] [--environment <name>] [--<Section:Key>=<value>]
              Starts the web app (the same as no verb).
          help, --help
              This text.

        The verbs act on the local store file directly, without signing in and without roles: whoever can read
        the database file is already trusted. Imports run here are recorded in the import history and the audit
        trail as cli:<operating-system user>. The web app and its HTTP API, by contrast, require a signed-in user.
        The store is Workbench/data/workbench.db (data/ beside the app) unless --db or ConnectionStrings__Workbench says otherwise.
        """;

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine(HelpText);
        return 0;
    }

    // followUps: false leaves out what runs after each import (statistics, quality, features), so a benchmark of the
    // import measures the import alone.
    internal static async Task<ServiceProvider> OpenStoreAsync(string? dbFile, CancellationToken ct, bool followUps = true)
    {
        var store = StoreLocation.Resolve(
            Environment.GetEnvironmentVariable("ConnectionStrings__Workbench"), AppPaths.AppDirectory, dbFile);
        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddWorkbenchCore(store);
        if (!followUps) collection.RemoveAll<IImportFollowUp>();
        var services = collection.BuildServiceProvider();
        await services.GetRequiredService<StoreInitializer>().InitializeAsync(new StoreInitializerOptions(false, null), ct);
        return services;
    }
}

public enum LaunchKind { Server, Verb, Unknown }

public sealed class CliUsageException(string message) : Exception(message);

// Positional arguments and --name value / --flag options.
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);

    public CliArgs(string[] args)
    {
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = args[i][2..];
                var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                _options[name] = hasValue ? args[++i] : null;
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        Positional = positional;
    }

    public IReadOnlyList<string> Positional { get; }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public string Required(string name) =>
        Get(name) ?? throw new CliUsageException($"--{name} needs a value");

    public long? GetLong(string name)
    {
        var text = Get(name);
        if (text is null) return null;
        return long.TryParse(text.Replace("_", ""), out var value) && value >= 0
            ? value
            : throw new CliUsageException($"--{name} takes a whole number, not '{text}'");
    }

    public void AllowOnly(params string[] names)
    {
        foreach (var key in _options.Keys)
        {
            if (!names.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new CliUsageException($"unknown option --{key}");
        }
    }
}
