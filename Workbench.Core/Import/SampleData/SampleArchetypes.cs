namespace Workbench.Core.Import.SampleData;

internal enum ChannelProfile : byte { StoreOnly, WebMostly, AppUser, Omni }

internal enum EventType : byte { PageView, ProductView, Search, CartAdd, CartAbandon, AppOpen, StoreVisit, EmailOpen, EmailClick }

internal enum EventChannel : byte { Web, App, Store, Email }

internal enum ContactChannel : byte { Email, Sms, Push, App, Mail }

// A kind of shopper. Orders are per full year: a customer who signed up mid-window gets a share of them.
internal sealed record SampleArchetype(
    string Name,
    double Share,
    int MinOrders,
    int MaxOrders,
    double[] LinesCdf,
    double DiscountChance,
    double FavouriteShare,
    bool Broad,
    double MemberChance,
    double[] ProfileCdf,
    double NewShare,
    double BrowsePerYear,
    double AbandonsPerYear,
    double ReturnFactor,
    double EmailGrant)
{
    public bool Buys => MaxOrders > 0;
}

internal static class SampleArchetypes
{
    // Lines per order, from one line up.
    private static readonly double[] SmallBasket = Cdf.From([0.45, 0.28, 0.14, 0.07, 0.04, 0.02]);
    private static readonly double[] StandardBasket = Cdf.From([0.3, 0.25, 0.17, 0.11, 0.07, 0.05, 0.03, 0.02]);
    private static readonly double[] WeeklyShop = Cdf.From([0.12, 0.14, 0.14, 0.13, 0.11, 0.09, 0.08, 0.06, 0.05, 0.04, 0.02, 0.02]);

    // Profiles: store only, mostly web, app user, omnichannel.
    public static readonly SampleArchetype[] All =
    [
        new("one-time buyer", 0.40, 1, 1, SmallBasket, 0.10, 0.6, false, 0.45, Cdf.From([0.40, 0.35, 0.10, 0.15]), 0.45, 0.8, 0.4, 1.2, 0.60),
        new("occasional", 0.27, 2, 5, StandardBasket, 0.12, 0.55, false, 0.75, Cdf.From([0.35, 0.30, 0.15, 0.20]), 0.25, 1.5, 0.8, 1.0, 0.70),
        new("promo hunter", 0.08, 4, 12, StandardBasket, 0.80, 0.4, false, 0.90, Cdf.From([0.15, 0.35, 0.30, 0.20]), 0.20, 5, 3, 1.3, 0.90),
        new("cross-category", 0.10, 6, 16, StandardBasket, 0.15, 0.0, true, 0.85, Cdf.From([0.20, 0.20, 0.25, 0.35]), 0.15, 3, 1.5, 1.0, 0.75),
        new("loyal core", 0.10, 14, 40, WeeklyShop, 0.15, 0.6, false, 0.98, Cdf.From([0.40, 0.10, 0.25, 0.25]), 0.08, 4, 1.5, 0.8, 0.80),
        new("browser, never bought", 0.05, 0, 0, SmallBasket, 0.0, 0.5, false, 0.30, Cdf.From([0.0, 0.55, 0.30, 0.15]), 0.50, 6, 2.5, 0, 0.65),
    ];

    public static readonly double[] ShareCdf = Cdf.From([.. All.Select(a => a.Share)]);

    // Purchase channel per profile: store, web, app.
    public static readonly double[][] ChannelCdf =
    [
        Cdf.From([1.0, 0.0, 0.0]),
        Cdf.From([0.2, 0.8, 0.0]),
        Cdf.From([0.35, 0.10, 0.55]),
        Cdf.From([0.45, 0.35, 0.20]),
    ];

    public static bool HasApp(ChannelProfile profile) => profile is ChannelProfile.AppUser or ChannelProfile.Omni;
}
