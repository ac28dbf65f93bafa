using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Audit;
using Workbench.Core.Data;
using Workbench.Core.Decisioning;

namespace Workbench.Core.Campaigns;

public sealed record HoldoutSetting(double Percent, DateTime? UpdatedAt, string? UpdatedBy);

public sealed record HoldoutChange(HoldoutSetting? Saved, string? Problem, string? Warning);

// The global holdout: a stable share of all customers who receive no campaign, to measure what personalization adds in
// all. Default 5%, allowed 1–15%. Who is held out is ArmAssignment.InGlobalHoldout (a hash of the customer id alone), so
// raising the share keeps everyone already held out and adds more; lowering it releases some; nobody moves between
// the two otherwise. Each change is audited.
public sealed class GlobalHoldout(IDbContextFactory<WorkbenchDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    public const string Key = "global_holdout_percent";
    public const double DefaultPercent = 5, MinPercent = 1, MaxPercent = 15;

    public async Task<HoldoutSetting> GetAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<WorkspaceSetting>().AsNoTracking().FirstOrDefaultAsync(s => s.Key == Key, ct);
        return row is null ? new HoldoutSetting(DefaultPercent, null, null)
            : new HoldoutSetting(double.Parse(row.Value, CultureInfo.InvariantCulture), row.UpdatedAt, row.UpdatedBy);
    }

    public static string? Check(double percent) =>
        double.IsFinite(percent) && percent >= MinPercent && percent <= MaxPercent ? null
        : $"the global holdout is {MinPercent}–{MaxPercent}% of customers, not {percent.ToString(CultureInfo.InvariantCulture)}%";

    public static string WarningFor(double from, double to) => to > from
        ? $"Raising the holdout from {Show(from)}% to {Show(to)}% keeps everyone already held out and holds out about {Show(to - from)}% more of all customers from the next run on; nobody held out is reshuffled."
        : to < from
            ? $"Lowering the holdout from {Show(from)}% to {Show(to)}% releases about {Show(from - to)}% of all customers into campaigns from the next run on; the rest stay held out, nobody is reshuffled."
            : "The holdout is unchanged.";

    public async Task<HoldoutChange> SetAsync(double percent, string user, CancellationToken ct)
    {
        if (Check(percent) is { } problem) return new HoldoutChange(null, problem, null);
        var before = await GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<WorkspaceSetting>().FirstOrDefaultAsync(s => s.Key == Key, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var value = percent.ToString(CultureInfo.InvariantCulture);
        if (row is null) db.Add(new WorkspaceSetting { Key = Key, Value = value, UpdatedAt = now, UpdatedBy = user });
        else (row.Value, row.UpdatedAt, row.UpdatedBy) = (value, now, user);
        db.AuditEntries.Add(audit.Entry(user, AuditActions.Update, AuditEntities.Setting, Key,
            [new FieldChange("percent", before.Percent.ToString(CultureInfo.InvariantCulture), value)]));
        await db.SaveChangesAsync(ct);
        return new HoldoutChange(new HoldoutSetting(percent, now, user), null, WarningFor(before.Percent, percent));
    }

    public static bool IsHeldOut(string customerId, double percent) => ArmAssignment.InGlobalHoldout(customerId, percent / 100.0);

    private static string Show(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);
}
