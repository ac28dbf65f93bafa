using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Playbook;

// The preview of one play for a Viewer: the customer's e-mail address and phone number never show, wherever a play
// quotes them (here its name and its SMS text, written with the address of QualityFixture's Q1).
public sealed class PreviewMaskingTests
{
    [Fact]
    public async Task PreviewAsync_MaskContactDetails_MasksTheAddressAndPhoneInNameMessageAndReasons()
    {
        await using var store = await TestStore.CreateAsync();
        await QualityFixture.LoadAsync(store, plant: false);
        var previews = store.Services.GetRequiredService<PlaybookPreviewService>();
        var play = PlaybookFixture.Play("p1") with
        {
            Name = "Ask ann@example.com",
            Content = [new ChannelContent("sms", [new CreativeVariant("standard", Text: "Call +447700900001 or write to ann@example.com")])],
            Channels = ["sms"],
        };

        var plain = (await previews.PreviewAsync(play, "Q1", null, null, default)).Result!;
        var masked = (await previews.PreviewAsync(play, "Q1", null, null, default, maskContactDetails: true)).Result!;

        Assert.Equal("Call +447700900001 or write to ann@example.com", plain.Channels.Single().Message!.Text);
        Assert.DoesNotContain("ann@example.com", masked.PlayName);
        var text = masked.Channels.Single().Message!.Text!;
        Assert.DoesNotContain("ann@example.com", text);
        Assert.DoesNotContain("+447700900001", text);
        Assert.Contains("a***@example.com", text);
    }
}
