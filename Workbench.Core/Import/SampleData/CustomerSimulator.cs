using System.Globalization;
using System.Runtime.InteropServices;

namespace Workbench.Core.Import.SampleData;

internal struct SimOrder
{
    public int Time;
    public int Seq;
    public PurchaseChannel Channel;
    public string? Store;
    public int FirstLine;
    public int LineCount;
    public bool IsReturn;
    public string? OrphanCustomerId;
}

internal readonly record struct SimLine(short Product, short Quantity, int UnitCents, int DiscountCents)
{
    public long NetCents => UnitCents * (long)Quantity - DiscountCents;
}

internal readonly record struct SimEvent(int Time, int Seq, EventType Type, short Product, sbyte Category, EventChannel Channel);

internal readonly record struct SimConsent(ContactChannel Channel, bool Granted, string UpdatedAt, string Source);

// One customer's rows across the files. Reused from one customer to the next, so memory stays flat.
internal sealed class SimulatedCustomer
{
    public int Index;
    public int Archetype;
    public string Id = "";
    public string FirstName = "", LastName = "", Email = "", Phone = "", BirthDate = "", Gender = "";
    public string City = "", Region = "", PostalCode = "", Country = "", HomeStore = "", SignupDate = "";
    public string LoyaltyTier = "", LoyaltyPoints = "", PreferredChannel = "", TimeZone = "";

    public List<SimOrder> Orders { get; } = new(128);
    public List<SimLine> Lines { get; } = new(512);
    public List<SimEvent> Events { get; } = new(512);
    public List<SimConsent> Consents { get; } = new(5);

    public void Clear()
    {
        Orders.Clear();
        Lines.Clear();
        Events.Clear();
        Consents.Clear();
    }
}

internal sealed class CustomerSimulator
{
    private const int Minute = 60;
    private const int Hour = 3600;
    private const double SecondBasketChance = 0.03;

    private static readonly int[] DiscountPercents = [10, 15, 20, 25, 30, 40, 50];
    private static readonly double[] DiscountCdf = Cdf.From([0.25, 0.2, 0.2, 0.15, 0.1, 0.06, 0.04]);
    private static readonly double[] DeepDiscountCdf = Cdf.From([0.1, 0.15, 0.2, 0.2, 0.15, 0.12, 0.08]);
    private static readonly (int From, int To)[] AgeBands = [(18, 25), (25, 35), (35, 45), (45, 55), (55, 65), (65, 86)];
    private static readonly double[] AgeBandCdf = Cdf.From([0.10, 0.20, 0.22, 0.20, 0.15, 0.13]);
    private static readonly double[] AppAgeBandCdf = Cdf.From([0.18, 0.30, 0.25, 0.15, 0.08, 0.04]);
    private static readonly double[] OmniSignupCdf = Cdf.From([0.4, 0.4, 0.2]);
    private static readonly string[] Tiers = ["Bronze", "Silver", "Gold", "Platinum"];
    private static readonly string[] NewsletterTheme =
        ["Sports", "Beauty", "Garden", "Garden", "Garden", "Sports", "Fashion", "Fashion", "Home", "Curtains & Textiles", "Kitchen", "Toys"];

    private readonly int _seed;
    private readonly SampleCalendar _calendar;
    private readonly SampleCatalog _catalog;
    private readonly SampleGeography _geography;
    private readonly ProblemPlan _plan;
    private readonly SampleRandom _rng = new(0);
    private readonly SimulatedCustomer _c = new();
    private readonly (int Time, sbyte Category)[] _campaigns;
    private readonly int[] _favourites = new int[2];
    private readonly double[] _preferenceWeights = new double[5];
    private readonly PurchaseModelParameters _model;
    private readonly PurchaseHistory _history = new();

    // Per-customer state shared by the steps below.
    private SampleArchetype _archetype = null!;
    private ChannelProfile _profile;
    private bool _hasApp, _tracksWeb;
    private int _favouriteCount, _visibleFrom, _activeFrom, _activeUntil, _emailEvents;
    private double _activeYears;

    public CustomerSimulator(int seed, SampleCalendar calendar, SampleCatalog catalog, SampleGeography geography, ProblemPlan plan,
        PurchaseModelParameters model)
    {
        _seed = seed;
        _model = model;
        _calendar = calendar;
        _catalog = catalog;
        _geography = geography;
        _plan = plan;
        _campaigns = Campaigns(calendar, catalog);
    }

    public SimulatedCustomer Simulate(int index)
    {
        var rng = _rng;
        var c = _c;
        rng.Reseed(SampleRandom.Derive(_seed, 3, (ulong)index));
        c.Clear();
        c.Index = index;
        var number = index + 1;
        c.Id = ProblemPlan.CustomerId(number);

        var history = _history;
        if (rng.Chance(SampleArchetypes.BrowserShare)) history.Clear();
        else history.Simulate(rng, _model, _calendar.Days);
        c.Archetype = history.Count == 0 ? SampleArchetypes.Browser : SampleArchetypes.Assign(rng, history);
        var a = _archetype = SampleArchetypes.All[c.Archetype];
        _profile = (ChannelProfile)rng.Pick(a.ProfileCdf);
        _hasApp = SampleArchetypes.HasApp(_profile);
        _tracksWeb = _profile != ChannelProfile.StoreOnly && rng.Chance(0.55);
        var city = _geography.PickCity(rng);
        var homeStore = _profile == ChannelProfile.WebMostly && rng.Chance(0.5) ? null : rng.Pick(city.StoreIds);

        var g = rng.NextDouble();
        var gender = g < 0.47 ? "F" : g < 0.89 ? "M" : g < 0.90 ? "X" : "";
        var female = gender == "F" || (gender != "M" && rng.Chance(0.5));
        var irish = city.Irish && rng.Chance(0.6);
        var firstPool = irish ? (female ? SamplePeople.IrishFemale : SamplePeople.IrishMale) : (female ? SamplePeople.Female : SamplePeople.Male);
        var lastPool = irish ? SamplePeople.IrishLast : SamplePeople.Last;
        var firstIndex = rng.Pick(firstPool.Cdf);
        var lastIndex = rng.Pick(lastPool.Cdf);
        var firstKey = firstPool.EmailParts[firstIndex];
        var lastKey = lastPool.EmailParts[lastIndex];
        var hasBirthDate = rng.Chance(0.82);
        var band = AgeBands[rng.Pick(_hasApp ? AppAgeBandCdf : AgeBandCdf)];
        var birthDate = _calendar.End.AddYears(-rng.Next(band.From, band.To) - 1).AddDays(rng.Next(1, 366));
        var hasPhone = rng.Chance(_profile == ChannelProfile.StoreOnly ? 0.6 : 0.8);
        var nationalPhone = rng.Chance(0.2);
        var phonePrefix = rng.Next(5);
        var hasEmail = rng.Chance(_profile == ChannelProfile.StoreOnly ? 0.75 : 0.99);
        var emailPattern = rng.Next(SamplePeople.EmailPatterns);
        var domain = SamplePeople.PickDomain(rng);

        c.FirstName = firstPool.Names[firstIndex];
        c.LastName = lastPool.Names[lastIndex];
        c.Gender = gender;
        c.BirthDate = hasBirthDate ? Date(birthDate) : "";
        c.Phone = hasPhone ? SamplePeople.Phone(number, city.Irish, nationalPhone, phonePrefix) : "";
        c.Email = hasEmail ? SamplePeople.Email(emailPattern, firstKey, lastKey, number, domain) : "";
        c.City = city.Name;
        c.Region = city.Region;
        c.PostalCode = SampleGeography.PostalCode(rng, city);
        c.Country = city.Country;
        c.TimeZone = city.TimeZone;
        c.HomeStore = homeStore ?? "";

        var signupChannel = _profile switch
        {
            ChannelProfile.StoreOnly => PurchaseChannel.Store,
            ChannelProfile.WebMostly => PurchaseChannel.Web,
            ChannelProfile.AppUser => rng.Chance(0.7) ? PurchaseChannel.App : PurchaseChannel.Web,
            _ => (PurchaseChannel)rng.Pick(OmniSignupCdf),
        };
        // Signed up at the first purchase (at the till, at checkout) or some weeks before it (an account opened, the app
        // installed); a browser on any day of the window.
        var atSignup = history.Count > 0 && rng.Chance(0.6);
        var firstChannel = atSignup || history.Count == 0 ? signupChannel : PickChannel();
        var firstDay = _calendar.DayAt(firstChannel, history.Count > 0 ? history.Position(0, _calendar.Days) : rng.NextDouble());
        var signupDay = atSignup || history.Count == 0 ? firstDay : Math.Max(0, firstDay - (int)(rng.Exponential() * 45));
        var signupTime = _calendar.ToUtc(signupDay, _calendar.SampleLocalSecond(rng, signupChannel, signupDay));
        var signupStamp = _calendar.Timestamp(signupTime);
        c.SignupDate = Date(_calendar.DateOfDay(signupDay));
        _activeFrom = signupDay;
        _visibleFrom = Math.Max(0, signupTime);
        _activeUntil = _calendar.LastSecond;

        _favouriteCount = a.Broad ? 0 : rng.Chance(0.5) ? 1 : 2;
        for (var f = 0; f < _favouriteCount; f++) _favourites[f] = _catalog.PickCategory(rng);

        if (a.Buys)
        {
            var lastDay = -1;
            for (var k = 0; k < history.Count; k++)
            {
                var channel = k == 0 ? firstChannel : PickChannel();
                var day = k == 0 ? firstDay : _calendar.DayAt(channel, history.Position(k, _calendar.Days));
                // The model counts purchase days: a purchase that falls on the day of the one before moves to the next day,
                // so the number of purchase days is the model's (a second basket on one day is added below, on purpose).
                if (day <= lastDay) day = lastDay + 1;
                if (day < _calendar.Days && channel == PurchaseChannel.Store && _calendar.DateOfDay(day) is { Month: 12, Day: 25 }) day++;
                if (day >= _calendar.Days) break;
                lastDay = day;
                var time = k == 0 && atSignup
                    ? signupTime + rng.Next(Minute, 30 * Minute)
                    : _calendar.ToUtc(day, _calendar.SampleLocalSecond(rng, channel, day));
                if (time < signupTime) time = signupTime + rng.Next(10 * Minute, 2 * Hour);
                time = Math.Min(time, _calendar.LastSecond);
                var store = channel != PurchaseChannel.Store ? null
                    : homeStore is not null && rng.Chance(0.85) ? homeStore
                    : rng.Chance(0.5) ? rng.Pick(city.StoreIds)
                    : _geography.PickAnyStore(rng);
                AddPurchase(time, channel, store);
                // Now and then a second basket the same day: something forgotten, or bought on the way home.
                if (rng.Chance(SecondBasketChance))
                {
                    var second = Math.Min(_calendar.LastSecond, time + rng.Next(20 * Minute, 3 * Hour));
                    if (_calendar.DayOfSecond(second) == _calendar.DayOfSecond(time)) AddPurchase(second, channel, store);
                }
            }
            SortOrders();
            // Someone who dropped out drifts away from the site and the app within a couple of months of the last purchase.
            if (history.DroppedOut)
                _activeUntil = Math.Min(_calendar.LastSecond, c.Orders[^1].Time + rng.Next(0, 60 * SampleCalendar.SecondsPerDay));
            var orphanId = c.Orders.Count > 0 ? _plan.OrphanCustomerId(index) : null;
            if (orphanId is not null) CollectionsMarshal.AsSpan(c.Orders)[0].OrphanCustomerId = orphanId;
            AddReturns(homeStore);
            SortOrders();
            if (orphanId is not null)
            {
                var orphanLines = 0;
                foreach (var o in c.Orders)
                {
                    if (o.OrphanCustomerId is not null) orphanLines += o.LineCount;
                }
                _plan.UseOrphanLines(orphanLines);
            }
        }
        _activeYears = Math.Max(0, _activeUntil - _visibleFrom) / (365.0 * SampleCalendar.SecondsPerDay);

        var spent = 0L;
        foreach (var line in c.Lines) spent += line.NetCents;
        if (rng.Chance(a.MemberChance))
        {
            var pounds = (int)Math.Max(0, spent / 100);
            var earned = pounds + 100;
            var points = earned - (int)(earned * rng.Between(0, 0.7));
            c.LoyaltyTier = Tiers[pounds < 150 ? 0 : pounds < 600 ? 1 : pounds < 1800 ? 2 : 3];
            c.LoyaltyPoints = points.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            c.LoyaltyTier = "";
            c.LoyaltyPoints = "";
        }

        var signupSource = signupChannel switch
        {
            PurchaseChannel.Store => "store",
            PurchaseChannel.App => "app",
            _ => "signup_form",
        };
        // The span of time in which marketing email reached the customer.
        int emailFrom = int.MaxValue, emailUntil = -1;
        if (hasEmail)
        {
            var (granted, changedAt) = AddConsent(ContactChannel.Email, a.EmailGrant, signupStamp, signupSource);
            if (granted) (emailFrom, emailUntil) = (changedAt >= 0 ? changedAt : _visibleFrom, _calendar.LastSecond);
            else if (changedAt >= 0) (emailFrom, emailUntil) = (_visibleFrom, changedAt);
        }
        if (hasPhone) AddConsent(ContactChannel.Sms, 0.40, signupStamp, signupSource);
        if (_hasApp)
        {
            AddConsent(ContactChannel.Push, 0.60, signupStamp, signupSource);
            AddConsent(ContactChannel.App, 0.85, signupStamp, signupSource);
        }
        AddConsent(ContactChannel.Mail, 0.50, signupStamp, signupSource);
        c.PreferredChannel = PreferredChannel(band.From >= 65);

        _emailEvents = 0;
        AddOrderEvents();
        AddSessions();
        AddEmailEvents(emailFrom, emailUntil);
        CollectionsMarshal.AsSpan(c.Events).Sort(static (x, y) => x.Time != y.Time ? x.Time.CompareTo(y.Time) : x.Seq.CompareTo(y.Seq));

        PlantProblems(number, firstKey, lastKey, emailPattern, domain);
        return c;
    }

    private PurchaseChannel PickChannel() => (PurchaseChannel)_rng.Pick(SampleArchetypes.ChannelCdf[(int)_profile]);

    private void AddPurchase(int time, PurchaseChannel channel, string? store)
    {
        var rng = _rng;
        var c = _c;
        var a = _archetype;
        var day = _calendar.DayOfSecond(time);
        var month = _calendar.Month[day];
        var discountChance = Math.Min(0.95, a.DiscountChance * (_calendar.PromoDay[day] ? 2.5 : 1));
        var lineCount = rng.Pick(a.LinesCdf) + 1;
        var first = c.Lines.Count;
        for (var l = 0; l < lineCount; l++)
        {
            var category = _favouriteCount > 0 && rng.Chance(a.FavouriteShare)
                ? _favourites[rng.Next(_favouriteCount)]
                : _catalog.PickCategory(rng, month, a.Broad);
            var product = _catalog.PickProduct(rng, category);
            // The same product twice in a basket is one line with a bigger quantity: try once more, else skip.
            if (InOrder(first, product.Index)) product = _catalog.PickProduct(rng, category);
            if (InOrder(first, product.Index)) continue;
            var quantity = _catalog.PickQuantity(rng, category);
            var unit = rng.Chance(0.02) ? Markdown(product.PriceCents) : product.PriceCents;
            var discount = 0;
            if (rng.Chance(discountChance))
            {
                var percent = DiscountPercents[rng.Pick(a.DiscountChance > 0.5 ? DeepDiscountCdf : DiscountCdf)];
                discount = (int)Math.Round(unit * (long)quantity * percent / 100.0);
            }
            c.Lines.Add(new SimLine((short)product.Index, (short)quantity, unit, discount));
        }
        c.Orders.Add(new SimOrder
        {
            Time = time,
            Seq = c.Orders.Count,
            Channel = channel,
            Store = store,
            FirstLine = first,
            LineCount = c.Lines.Count - first,
        });
    }

    private bool InOrder(int firstLine, int product)
    {
        var lines = CollectionsMarshal.AsSpan(_c.Lines);
        for (var i = firstLine; i < lines.Length; i++)
        {
            if (lines[i].Product == product) return true;
        }
        return false;
    }

    // A return is its own order, 2 to 4 weeks after the purchase, at the net unit price paid and no discount,
    // so that quantity * unit_price - discount sums to net revenue.
    private void AddReturns(string? homeStore)
    {
        var rng = _rng;
        var c = _c;
        var purchases = c.Orders.Count;
        for (var p = 0; p < purchases; p++)
        {
            var o = c.Orders[p];
            var day = _calendar.DayOfSecond(o.Time) + rng.Next(2, 29);
            var first = c.Lines.Count;
            for (var l = o.FirstLine; l < o.FirstLine + o.LineCount; l++)
            {
                var line = c.Lines[l];
                var category = _catalog.Products[line.Product].Category;
                if (!rng.Chance(_catalog.Categories[category].ReturnRate * _archetype.ReturnFactor)) continue;
                var back = line.Quantity > 1 && rng.Chance(0.3) ? rng.Next(1, line.Quantity) : line.Quantity;
                var paid = (int)Math.Round(line.NetCents / (double)line.Quantity);
                c.Lines.Add(new SimLine(line.Product, (short)-back, paid, 0));
            }
            var returned = c.Lines.Count - first;
            if (returned == 0) continue;
            if (day < _calendar.Days && _calendar.DateOfDay(day) is { Month: 12, Day: 25 }) day++;
            if (day >= _calendar.Days)
            {
                // Not brought back yet when the history ends.
                c.Lines.RemoveRange(first, returned);
                continue;
            }
            var channel = o.Channel == PurchaseChannel.Store || (homeStore is not null && rng.Chance(0.5))
                ? PurchaseChannel.Store
                : PurchaseChannel.Web;
            c.Orders.Add(new SimOrder
            {
                Time = _calendar.ToUtc(day, _calendar.SampleLocalSecond(rng, channel, day)),
                Seq = c.Orders.Count,
                Channel = channel,
                Store = channel == PurchaseChannel.Store ? o.Store ?? homeStore : null,
                FirstLine = first,
                LineCount = returned,
                IsReturn = true,
                OrphanCustomerId = o.OrphanCustomerId,
            });
        }
    }

    private void SortOrders()
    {
        var orders = CollectionsMarshal.AsSpan(_c.Orders);
        orders.Sort(static (x, y) => x.Time != y.Time ? x.Time.CompareTo(y.Time) : x.Seq.CompareTo(y.Seq));
        for (var i = 0; i < orders.Length; i++) orders[i].Seq = i;
    }

    private (bool Granted, int ChangedAt) AddConsent(ContactChannel channel, double grantChance, string signupStamp, string signupSource)
    {
        var rng = _rng;
        var granted = rng.Chance(grantChance);
        if (!rng.Chance(0.25))
        {
            _c.Consents.Add(new SimConsent(channel, granted, signupStamp, signupSource));
            return (granted, -1);
        }
        var day = rng.Next(_activeFrom, _calendar.Days);
        var changedAt = Math.Clamp(
            _calendar.ToUtc(day, _calendar.SampleLocalSecond(rng, PurchaseChannel.Web, day)), _visibleFrom + Minute, _calendar.LastSecond);
        var source = channel == ContactChannel.Push ? "app"
            : !granted && channel == ContactChannel.Email ? "unsubscribe_link"
            : "preference_center";
        _c.Consents.Add(new SimConsent(channel, granted, _calendar.Timestamp(changedAt), source));
        return (granted, changedAt);
    }

    private string PreferredChannel(bool older)
    {
        var weights = _preferenceWeights;
        Array.Clear(weights);
        var total = 0.0;
        foreach (var consent in _c.Consents)
        {
            if (!consent.Granted) continue;
            var w = consent.Channel switch
            {
                ContactChannel.Email => 50,
                ContactChannel.Sms => 10,
                ContactChannel.Push => 10,
                ContactChannel.App => 15,
                _ => older ? 30 : 8,
            };
            weights[(int)consent.Channel] = w;
            total += w;
        }
        var u = _rng.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) continue;
            if (u < weights[i]) return ChannelName((ContactChannel)i);
            u -= weights[i];
        }
        return "";
    }

    private void AddOrderEvents()
    {
        var rng = _rng;
        foreach (var o in _c.Orders)
        {
            if (o.IsReturn) continue;
            if (o.Channel == PurchaseChannel.App || (o.Channel == PurchaseChannel.Web && _tracksWeb))
            {
                // Walk back from the order: the cart is filled, some items viewed first, maybe a search.
                var channel = o.Channel == PurchaseChannel.App ? EventChannel.App : EventChannel.Web;
                var t = o.Time - rng.Next(20, 180);
                var category = 0;
                for (var l = o.FirstLine + o.LineCount - 1; l >= o.FirstLine; l--)
                {
                    var product = _c.Lines[l].Product;
                    category = _catalog.Products[product].Category;
                    AddEvent(t, EventType.CartAdd, product, category, channel);
                    t -= rng.Next(8, 150);
                    if (rng.Chance(0.2))
                    {
                        AddEvent(t, EventType.ProductView, product, category, channel);
                        t -= rng.Next(10, 120);
                    }
                }
                if (rng.Chance(0.35))
                {
                    AddEvent(t, EventType.Search, -1, category, channel);
                    t -= rng.Next(5, 60);
                }
                AddEvent(t, channel == EventChannel.App ? EventType.AppOpen : EventType.PageView, -1, -1, channel);
            }
            else if (o.Channel == PurchaseChannel.Store && _hasApp && rng.Chance(0.5))
            {
                AddEvent(o.Time - rng.Next(5 * Minute, 40 * Minute), EventType.StoreVisit, -1, -1, EventChannel.Store);
            }
        }
    }

    private void AddSessions()
    {
        if (_profile == ChannelProfile.StoreOnly) return;
        var rng = _rng;
        var a = _archetype;
        var abandons = rng.RoundCount(a.AbandonsPerYear * _activeYears);
        for (var s = 0; s < abandons; s++)
        {
            if (!StartSession(out var channel, out var t, out var category)) continue;
            var views = rng.Next(1, 4);
            short firstViewed = -1, lastViewed = -1;
            for (var v = 0; v < views; v++)
            {
                t += rng.Next(10, 120);
                lastViewed = (short)_catalog.PickProduct(rng, category).Index;
                if (firstViewed < 0) firstViewed = lastViewed;
                AddEvent(t, EventType.ProductView, lastViewed, category, channel);
            }
            t += rng.Next(10, 90);
            AddEvent(t, EventType.CartAdd, firstViewed, category, channel);
            if (lastViewed != firstViewed && rng.Chance(0.4))
            {
                t += rng.Next(10, 90);
                AddEvent(t, EventType.CartAdd, lastViewed, category, channel);
            }
            // Recorded when the session expires with the cart still full.
            AddEvent(t + rng.Next(30 * Minute, 90 * Minute), EventType.CartAbandon, firstViewed, category, channel);
        }

        var browses = rng.RoundCount(a.BrowsePerYear * _activeYears);
        for (var s = 0; s < browses; s++)
        {
            if (!StartSession(out var channel, out var t, out var category)) continue;
            if (rng.Chance(0.4))
            {
                t += rng.Next(5, 40);
                AddEvent(t, EventType.Search, -1, category, channel);
            }
            var views = rng.Next(1, 5);
            for (var v = 0; v < views; v++)
            {
                t += rng.Next(10, 150);
                AddEvent(t, EventType.ProductView, _catalog.PickProduct(rng, category).Index, category, channel);
            }
        }
    }

    private bool StartSession(out EventChannel channel, out int time, out int category)
    {
        var rng = _rng;
        channel = _hasApp && (!_tracksWeb || rng.Chance(0.6)) ? EventChannel.App : EventChannel.Web;
        time = 0;
        category = 0;
        if (channel == EventChannel.Web && !_tracksWeb) return false;
        time = _calendar.SampleTime(rng, channel == EventChannel.App ? PurchaseChannel.App : PurchaseChannel.Web,
            _calendar.DayOfSecond(_visibleFrom), _calendar.DayOfSecond(_activeUntil));
        category = _favouriteCount > 0 && rng.Chance(_archetype.FavouriteShare)
            ? _favourites[rng.Next(_favouriteCount)]
            : _catalog.PickCategory(rng, _calendar.Month[_calendar.DayOfSecond(time)], _archetype.Broad);
        AddEvent(time, channel == EventChannel.App ? EventType.AppOpen : EventType.PageView, -1, -1, channel);
        return true;
    }

    private void AddEmailEvents(int from, int until)
    {
        if (from > until) return;
        var rng = _rng;
        var engagement = rng.Chance(0.3) ? 0 : rng.Between(0.04, 0.45);
        if (engagement == 0) return;
        foreach (var (send, category) in _campaigns)
        {
            // Long after someone stopped buying, a newsletter is rarely opened.
            if (send < from || send > until || !rng.Chance(send > _activeUntil ? engagement * 0.15 : engagement)) continue;
            var delay = rng.Chance(0.6) ? rng.Next(Minute, 3 * Hour)
                : rng.Chance(0.75) ? rng.Next(3 * Hour, 24 * Hour)
                : rng.Next(24 * Hour, 72 * Hour);
            var open = send + delay;
            AddEvent(open, EventType.EmailOpen, -1, category, EventChannel.Email);
            if (!rng.Chance(0.2)) continue;
            var click = open + rng.Next(5, 120);
            AddEvent(click, EventType.EmailClick, -1, category, EventChannel.Email);
            if (!_tracksWeb) continue;
            AddEvent(click + rng.Next(2, 9), EventType.PageView, -1, category, EventChannel.Web);
            if (rng.Chance(0.5))
            {
                AddEvent(click + rng.Next(20, 90), EventType.ProductView, _catalog.PickProduct(rng, category).Index, category, EventChannel.Web);
            }
        }
    }

    private void AddEvent(int time, EventType type, int product, int category, EventChannel channel)
    {
        if (time < _visibleFrom || time > _calendar.LastSecond) return;
        if (type is EventType.EmailOpen or EventType.EmailClick) _emailEvents++;
        _c.Events.Add(new SimEvent(time, _c.Events.Count, type, (short)product, (sbyte)category, channel));
    }

    private void PlantProblems(int number, string firstKey, string lastKey, int emailPattern, string domain)
    {
        var c = _c;
        var line = c.Index + 2L;
        if (_plan.IsDuplicateOriginal(c.Index))
        {
            _plan.Remember(c.Index, new PersonSnapshot(
                c.Id, line, c.FirstName, c.LastName, firstKey, lastKey, c.Gender, c.BirthDate, c.Email, c.Phone));
        }
        else if (_plan.TryGetDuplicate(c.Index, out var person, out var shared))
        {
            // Same person signed up again (after a move): same name and birth date, a shared email or phone.
            c.FirstName = person.FirstName;
            c.LastName = person.LastName;
            c.Gender = person.Gender;
            c.BirthDate = person.BirthDate;
            if (shared == "email")
            {
                c.Email = person.Email;
            }
            else
            {
                c.Phone = person.Phone;
                if (c.Email != "") c.Email = SamplePeople.Email(emailPattern, person.FirstKey, person.LastKey, number, domain);
            }
            _plan.AddDuplicate(new DuplicatePerson(c.Id, line, person.CustomerId, person.Line, shared, shared == "email" ? c.Email : c.Phone));
        }
        else if (_plan.WantsInvalidEmail(c.Index) && _emailEvents == 0)
        {
            c.Email = SamplePeople.InvalidEmail(_plan.Invalid.Count, firstKey, lastKey, number, domain);
            _plan.AddInvalidEmail(new InvalidEmail(c.Id, line, c.Email));
        }
    }

    private static (int, sbyte)[] Campaigns(SampleCalendar calendar, SampleCatalog catalog)
    {
        var campaigns = new List<(int, sbyte)>();
        void Add(DateOnly date, int localHour, string category)
        {
            var day = calendar.DayOf(date);
            if (day < 0 || day >= calendar.Days) return;
            campaigns.Add((calendar.ToUtc(day, localHour * Hour), (sbyte)catalog.IndexOf(category)));
        }

        // A fortnightly Thursday newsletter with a seasonal theme, and the retail calendar's big moments.
        var firstThursday = ((int)DayOfWeek.Thursday - (int)calendar.Start.DayOfWeek + 7) % 7;
        for (var day = firstThursday; day < calendar.Days; day += 14)
        {
            Add(calendar.DateOfDay(day), 10, NewsletterTheme[calendar.Month[day]]);
        }
        for (var year = calendar.Start.Year; year <= calendar.End.Year; year++)
        {
            var blackFriday = SampleCalendar.BlackFriday(year);
            Add(blackFriday, 8, "Electronics");
            Add(blackFriday.AddDays(3), 8, "Electronics");
            Add(new DateOnly(year, 12, 5), 10, "Toys");
            Add(new DateOnly(year, 12, 18), 10, "Beauty");
            Add(new DateOnly(year, 12, 26), 7, "Fashion");
            Add(new DateOnly(year, 1, 2), 8, "Furniture");
            Add(new DateOnly(year, 2, 6), 10, "Beauty");
            Add(new DateOnly(year, 3, 27), 10, "Garden");
            Add(new DateOnly(year, 6, 26), 10, "Fashion");
            Add(new DateOnly(year, 8, 14), 10, "Fashion");
        }
        campaigns.Sort((x, y) => x.Item1.CompareTo(y.Item1));
        return [.. campaigns];
    }

    private static int Markdown(int priceCents) => Math.Max(19, priceCents * 7 / 10 / 10 * 10 - 1);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string ChannelName(ContactChannel channel) => channel switch
    {
        ContactChannel.Email => "email",
        ContactChannel.Sms => "sms",
        ContactChannel.Push => "push",
        ContactChannel.App => "app",
        _ => "mail",
    };
}
