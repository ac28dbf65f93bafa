using System.Globalization;
using Workbench.Core.Playbook;

namespace Workbench.Features.Playbook;

// The words the playbook pages show for the model's enums, and the few number formats they share.
public static class PlayText
{
    public static string Status(PlayStatus s) => s switch
    {
        PlayStatus.Draft => "draft",
        PlayStatus.InReview => "in review",
        PlayStatus.Active => "active",
        _ => "retired",
    };

    public static string Objective(Objective o) => o switch
    {
        Core.Playbook.Objective.CrossSell => "cross-sell",
        Core.Playbook.Objective.WinBack => "win back",
        _ => o.ToString().ToLowerInvariant(),
    };

    public static string Channel(string channel) => channel switch
    {
        PlayChannels.Email => "E-mail",
        PlayChannels.Sms => "SMS",
        PlayChannels.Push => "Push",
        PlayChannels.App => "App banner",
        _ => channel,
    };

    public static string Reason(ReasonKind k) => k switch
    {
        ReasonKind.ExclusionGroup => "exclusion group",
        _ => k.ToString().ToLowerInvariant(),
    };

    public static string Share(double? x) => x is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    public static string Ratio(double? x) => x is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";
}
