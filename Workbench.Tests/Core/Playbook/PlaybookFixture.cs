using Workbench.Core.Playbook;
using Workbench.Core.Segments.Rules;

namespace Workbench.Tests.Core.Playbook;

// Small builders for the playbook tests: a customer snapshot and a play, each overridable with `with`.
public static class PlaybookFixture
{
    public static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc); // a Tuesday
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    public static CustomerSnapshot Customer(string? timeZone = "Europe/London") => new(
        "C1",
        new CustomerProfile("Ada", "Lovelace", new DateOnly(1990, 6, 15), "F", "Leeds", "Yorkshire and the Humber", "GB", "S012",
            new DateOnly(2024, 3, 10), "Silver", 420, "email", timeZone),
        new SnapshotFeatures(Orders: 4, NetRevenue: 320, LastPurchaseAt: Utc(2026, 11, 1, 10), FirstPurchaseAt: Utc(2025, 1, 5, 10),
            TopCategory1: "Garden", TopCategory2: "Home", RecencyDays: 23, PredictedValue12m: 250.456, FavouriteDaypart: "midday"),
        new Dictionary<string, ConsentState>
        {
            ["email"] = new("granted", Utc(2025, 1, 5)),
            ["sms"] = new("denied", Utc(2025, 1, 5)),
        },
        new HashSet<long> { 3, 7 },
        [],
        [new PurchaseLine("O1", Utc(2026, 11, 1, 10), "GAR-1", "Garden", 1, 20)],
        [],
        []);

    public static Play Play(string id = "p1") => new(
        id, "Test play", "uc-1", "tester", PlayStatus.Active, 1,
        new ScheduledTrigger("0 * * * *", 2),
        new Audience([], SegmentMatch.Any, null, [], null),
        Offer.NoIncentive,
        null,
        [
            new ChannelContent("email", [new CreativeVariant("standard", Subject: "Hi {{ first_name | default: \"there\" }}", Html: "<p>Hello {{ first_name | default: \"there\" }}</p>")]),
            new ChannelContent("sms", [new CreativeVariant("standard", Text: "Hi {{ first_name | default: \"there\" }}")]),
        ],
        ["email", "sms"],
        50, 1.0, 7, null);

    public static PlaybookCustomer Prepare(CustomerSnapshot s, DateTime now) => PlaybookCustomer.Prepare(s, now, London);

    public static RuleCondition Cond(string field, string op, object? value = null, string? category = null, int? days = null) => new()
    {
        Field = field,
        Operator = op,
        Value = value switch { null => null, string t => RuleValues.Of(t), double d => RuleValues.Of(d), int i => RuleValues.Of(i), _ => throw new ArgumentException() },
        Category = category,
        Days = days,
    };
}
