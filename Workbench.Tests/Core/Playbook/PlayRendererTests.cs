using Workbench.Core.Playbook;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Playbook;

public sealed class PlayRendererTests
{
    private static RenderedMessage Render(Play play, CustomerSnapshot s, string channel = "email", IReadOnlyList<RecommendedProduct>? recs = null) =>
        PlayRenderer.Render(play, channel, null, TemplateVariables.Customer(Prepare(s, Now)), recs ?? [])!;

    private static Play WithEmail(string subject, string html) => Play() with
    {
        Content = [new ChannelContent("email", [new CreativeVariant("standard", Subject: subject, Html: html)])],
    };

    [Fact]
    public void Render_CustomerFieldsAndFeatures_AndDefaultsForMissingData()
    {
        var play = WithEmail("{{ first_name | default: \"there\" }}, {{ points }} points",
            "<p>{{ loyalty_tier | default: \"Guest\" }} · {{ top_category }} · {{ predicted_value }} · {{ days_since_last_purchase }} days</p>");
        var full = Render(play, Customer());
        Assert.Equal("Ada, 420 points", full.Subject);
        // predicted value rounded to pence; 1 Nov → 24 Nov in London is 23 days.
        Assert.Equal("<p>Silver · Garden · 250.46 · 23 days</p>", full.Html);
        Assert.Empty(full.Problems);

        var bare = Customer() with { Profile = new CustomerProfile(), Features = null };
        var missing = Render(play, bare);
        Assert.Equal("there,  points", missing.Subject);
        Assert.Equal("<p>Guest ·  ·  ·  days</p>", missing.Html);
    }

    [Fact]
    public void Render_HostileFirstName_IsEncodedInHtml_AndLeftAsTextInSms()
    {
        var hostile = Customer() with { Profile = Customer().Profile with { FirstName = "<script>alert(1)</script>" } };
        var play = WithEmail("Hi {{ first_name }}", "<p>Hi {{ first_name }}</p><p title=\"{{ first_name }}\">x</p>") with
        {
            Content = [.. WithEmail("Hi {{ first_name }}", "<p>Hi {{ first_name }}</p>").Content, Play().Content[1]],
        };
        var email = Render(play, hostile);
        Assert.Equal("<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>", email.Html);
        Assert.DoesNotContain("<script", email.Html);
        // The subject and the SMS are text, not HTML: the sending platform shows them as they are.
        Assert.Equal("Hi <script>alert(1)</script>", email.Subject);
        Assert.Equal("Hi <script>alert(1)</script>", Render(play, hostile, "sms").Text);
    }

    [Fact]
    public void Render_HostileAuthoredHtml_IsSanitised()
    {
        var html = "<p onclick=\"steal()\">Hello {{ first_name }}</p><script>alert('x')</script>"
                 + "<a href=\"javascript:alert(1)\">bad</a><a href=\"https://shop.example/garden\">good</a><img src=\"x.png\" onerror=\"alert(2)\">";
        var message = Render(WithEmail("s", html), Customer());
        Assert.DoesNotContain("script", message.Html);
        Assert.DoesNotContain("onclick", message.Html);
        Assert.DoesNotContain("onerror", message.Html);
        Assert.DoesNotContain("javascript:", message.Html);
        Assert.Contains("<p>Hello Ada</p>", message.Html);
        Assert.Contains("<a href=\"https://shop.example/garden\">good</a>", message.Html);
        Assert.Contains("<a>bad</a>", message.Html);
    }

    [Fact]
    public void Render_AnOutputInsideALink_IsSanitisedAfterRendering()
    {
        // A link built from data: a customer value of "javascript:…" must not become a live link.
        var hostile = Customer() with { Profile = Customer().Profile with { FirstName = "javascript:alert(1)" } };
        var message = Render(WithEmail("s", "<a href=\"{{ first_name }}\">go</a>"), hostile);
        Assert.DoesNotContain("javascript:", message.Html);
        var safe = Render(WithEmail("s", "<a href=\"https://shop.example/{{ home_store }}\">go</a>"), Customer());
        Assert.Equal("<a href=\"https://shop.example/S012\">go</a>", safe.Html);
    }

    [Fact]
    public void Render_OfferAndRecommendedProducts()
    {
        var play = WithEmail("{{ offer.value }}% off {{ offer.category }} until {{ offer.valid_to }}",
            "{% for p in recommended_products %}<li>{{ p.name }} £{{ p.price }}</li>{% endfor %}") with
        {
            Offer = new Offer(OfferKind.PercentOff, "15% off", 15, null, null, new DateOnly(2026, 12, 31), Category: "Garden"),
        };
        var recs = new[] { new RecommendedProduct("GAR-2", "Trowel & Fork", "Garden", 12.5, 0.2, 0.5, 1.5, ""), new RecommendedProduct("GAR-3", "Seeds", "Garden", 2, null, null, null, "") };
        var m = Render(play, Customer(), recs: recs);
        Assert.Equal("15% off Garden until 2026-12-31", m.Subject);
        Assert.Equal("<li>Trowel &amp; Fork £12.5</li><li>Seeds £2</li>", m.Html);
    }

    [Fact]
    public void Render_SmsPushAndBanner_WithTheSmsMeasured()
    {
        var play = Play() with
        {
            Channels = ["sms", "push", "app"],
            Content =
            [
                new ChannelContent("sms", [new CreativeVariant("a", Text: "Hi {{ first_name }}, {{ points }} pts")]),
                new ChannelContent("push", [new CreativeVariant("a", Title: "For {{ first_name }}", Body: "{{ loyalty_tier }} perks")]),
                new ChannelContent("app", [new CreativeVariant("banner", Title: "{{ top_category }}", Body: "New in")]),
            ],
        };
        var sms = Render(play, Customer(), "sms");
        Assert.Equal("Hi Ada, 420 pts", sms.Text);
        Assert.Equal(new SmsMeasure(SmsEncoding.Gsm7, 15, 15, 1, 160), sms.Sms);
        var push = Render(play, Customer(), "push");
        Assert.Equal(("For Ada", "Silver perks"), (push.Title, push.Body));
        var app = Render(play, Customer(), "app");
        Assert.Equal(("Garden", "New in"), (app.Title, app.Body));
        Assert.Null(PlayRenderer.Render(play, "email", null, TemplateVariables.Customer(Prepare(Customer(), Now)), []));
    }

    [Fact]
    public void Render_ANamedVariant()
    {
        var play = Play() with
        {
            Content = [new ChannelContent("email", [new CreativeVariant("a", Subject: "A", Html: "<p>a</p>"), new CreativeVariant("b", "bold", "hero", "B", "<p>b</p>")])],
        };
        var b = PlayRenderer.Render(play, "email", "b", TemplateVariables.Customer(Prepare(Customer(), Now)), [])!;
        Assert.Equal(("b", "B"), (b.Variant, b.Subject));
        Assert.Equal("a", Render(play, Customer()).Variant);
    }

    [Fact]
    public void Templates_AreParsedOnceAndCached()
    {
        var source = "<p>cache probe {{ first_name }} " + Guid.NewGuid() + "</p>";
        Assert.Same(LiquidTemplates.Get(source, html: true), LiquidTemplates.Get(source, html: true));
        Assert.NotSame(LiquidTemplates.Get(source, html: true), LiquidTemplates.Get(source, html: false));
    }
}
