using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Analytics.Clv;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Core.Data;
using Workbench.Core.Jobs;

namespace Workbench.Cli;

public static partial class CommandLine
{
    private static readonly JsonSerializerOptions ModelJson = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static async Task<int> FeaturesVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db");
        if (args.Positional is not ["rebuild"]) throw new CliUsageException("features takes one action: features rebuild [--db <sqlite file>]");
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        FeatureRebuildResult result;
        // A writer like the pipeline's jobs: it holds the store's write gate; the memberships follow through the pipeline.
        using (await services.GetRequiredService<StoreWriteGate>().EnterAsync(ct))
            result = await services.GetRequiredService<FeatureService>().RebuildAsync(new Progress<string>(m => stderr.WriteLine(m)), ct);
        var memberships = await services.GetRequiredService<JobPipeline>().RunNowAsync([SegmentMembershipsJob.JobName], "command line", ct);
        if (memberships.Problem is { } problem) await stderr.WriteLineAsync(problem);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(new
        {
            customers = result.Customers,
            buyers = result.Buyers,
            asOf = result.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            seconds = Math.Round(result.Duration.TotalSeconds, 2),
            bgnbd = result.Purchases is { } p ? BgNbdJson(p) : null,
            gammaGamma = result.Spend is { } s ? GammaGammaJson(s) : null,
        }, ModelJson));
        return 0;
    }

    private static async Task<int> ClvVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db", "calibration-end", "holdout-end");
        if (args.Positional is not ["fit"])
            throw new CliUsageException("clv takes one action: clv fit --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD] [--db <sqlite file>]");
        var calibrationEnd = ParseDate(args, "calibration-end") ?? throw new CliUsageException("clv fit needs --calibration-end YYYY-MM-DD");
        var holdoutEnd = ParseDate(args, "holdout-end");
        if (holdoutEnd < calibrationEnd) throw new CliUsageException("--holdout-end must not be before --calibration-end");
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var report = await services.GetRequiredService<ClvService>().FitAsync(calibrationEnd, holdoutEnd, ct);
        if (report is null)
        {
            await stderr.WriteLineAsync($"no customer with a purchase by {calibrationEnd:yyyy-MM-dd} and a repeat purchase: nothing to fit");
            return 1;
        }
        await stdout.WriteLineAsync(JsonSerializer.Serialize(new
        {
            calibrationEnd = report.CalibrationEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            holdoutEnd = report.HoldoutEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            customers = report.Customers,
            repeaters = report.Repeaters,
            bgnbd = BgNbdJson(report.Purchases),
            gammaGamma = report.Spend is { } s ? GammaGammaJson(s) : null,
            holdout = new { actual = report.HoldoutActual, predicted = Math.Round(report.HoldoutPredicted, 2) },
            weeks = report.Weeks.Select(w => new
            {
                week = w.Week,
                start = w.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                days = w.Days,
                actual = w.ActualRepeats,
                predicted = Math.Round(w.PredictedRepeats, 3),
                actualCumulative = w.ActualCumulative,
                predictedCumulative = Math.Round(w.PredictedCumulative, 3),
            }),
        }, ModelJson));
        return 0;
    }

    private static object BgNbdJson(BgNbdFit fit) => new
    {
        r = fit.Parameters.R,
        alpha = fit.Parameters.Alpha,
        a = fit.Parameters.A,
        b = fit.Parameters.B,
        logLikelihood = fit.LogLikelihood,
        converged = fit.Converged,
    };

    private static object GammaGammaJson(GammaGammaFit fit) => new
    {
        p = fit.Parameters.P,
        q = fit.Parameters.Q,
        gamma = fit.Parameters.Gamma,
        logLikelihood = fit.LogLikelihood,
        converged = fit.Converged,
    };

    private static DateOnly? ParseDate(CliArgs args, string name)
    {
        if (!args.Has(name)) return null;
        return DateOnly.TryParseExact(args.Get(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new CliUsageException($"--{name} takes a date as YYYY-MM-DD, not '{args.Get(name)}'");
    }
}
