namespace Workbench.Core.Playbook;

// A new play for the editor: a copy of a template play (as a draft of version 1, without its id) or a blank one, then
// what the link asked for: the use case of an objective, a saved segment as the audience, a channel with content.
public static class PlayDraft
{
    public static Play New(Play? template, string owner, IReadOnlyList<UseCase> useCases, Objective? objective, long? segmentId, string? channel)
    {
        var play = template is null ? Blank(owner, useCases) : template with
        {
            Id = "", Name = $"{template.Name} (new)", Owner = owner, Status = PlayStatus.Draft, Version = 1,
        };
        if (objective is { } o && useCases.FirstOrDefault(u => u.Id == play.UseCaseId)?.Objective != o
            && useCases.FirstOrDefault(u => u.Objective == o) is { } useCase)
            play = play with { UseCaseId = useCase.Id };
        if (segmentId is { } s)
            play = play with { Audience = play.Audience with { SegmentIds = [s] } };
        if (channel is not null && PlayChannels.WithContent.Contains(channel))
        {
            if (!play.Channels.Contains(channel)) play = play with { Channels = [.. play.Channels, channel] };
            if (play.ContentFor(channel) is null) play = play with { Content = [.. play.Content, Starter(channel)] };
        }
        return play;
    }

    private static Play Blank(string owner, IReadOnlyList<UseCase> useCases) => new(
        "", "New play", useCases.FirstOrDefault()?.Id ?? "", owner, PlayStatus.Draft, 1,
        new ScheduledTrigger("0 9 * * MON", 24),
        new Audience([], SegmentMatch.Any, null, [], null),
        Offer.NoIncentive, null, [], [], 50, 1, 7, null);

    // Content that validates, for the author to rewrite.
    public static ChannelContent Starter(string channel) => new(channel,
    [
        channel switch
        {
            PlayChannels.Email => new CreativeVariant("standard", Subject: "Hello {{ first_name | default: \"there\" }}",
                Html: "<h1>Hello {{ first_name | default: \"there\" }}</h1>\n<p>Your message here.</p>"),
            PlayChannels.Sms => new CreativeVariant("standard", Text: "Hi {{ first_name | default: \"there\" }}, your message here."),
            _ => new CreativeVariant("standard", Title: "Hello {{ first_name | default: \"there\" }}", Body: "Your message here."),
        },
    ]);
}
