using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Core.Playbook;

// Plays as JSON: camelCase properties in declaration order, enums as snake_case strings, nulls left out, the kind of a
// trigger or exclusion in "kind". Reading refuses properties a play does not have, so a typo is named, not dropped.
public static class PlaybookJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowOutOfOrderMetadataProperties = true,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        // Files and command output, never HTML: keep & < > and non-ASCII text readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    // The same without indentation, for HTTP replies (a decision's trace is read by programs, and every byte is sent).
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    public static string Export(PlaybookFile file) => JsonSerializer.Serialize(file, Options);

    public static string Serialize(Play play) => JsonSerializer.Serialize(play, Options);

    // A deep copy (an editor changes a play's rule groups in place).
    public static Play Copy(Play play) => ReadPlay(Serialize(play));

    // A play the store wrote itself (Serialize), so it reads.
    public static Play ReadPlay(string json) =>
        JsonSerializer.Deserialize<Play>(json, Options) ?? throw new JsonException("a stored play is null");

    // Where each element of "plays" starts in the text (1-based line and byte position in the line, as Import names
    // places), so a problem found after reading can point into the file.
    public static IReadOnlyList<(int Line, int Position)> PlayPlaces(string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var places = new List<(int, int)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var inPlays = false;
        var (scanned, line, lineStart) = (0, 1, 0);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                inPlays = reader.ValueTextEquals("plays");
            else if (inPlays && reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.StartObject)
            {
                var at = (int)reader.TokenStartIndex;
                for (; scanned < at; scanned++)
                    if (bytes[scanned] == (byte)'\n') (line, lineStart) = (line + 1, scanned + 1);
                places.Add((line, at - lineStart + 1));
                reader.Skip();
            }
        }
        return places;
    }

    // Bad input comes back as problems naming where (JSON path, line, position) and what to do, never as an exception.
    public static PlaybookImport Import(string json)
    {
        PlaybookFile? file;
        try
        {
            file = JsonSerializer.Deserialize<PlaybookFile>(json, Options);
        }
        catch (JsonException e)
        {
            return new PlaybookImport(null, [Describe(e)]);
        }
        if (file is null) return new PlaybookImport(null, ["not a playbook file: the JSON is null"]);
        var problems = new List<string>();
        if (file.Format != PlaybookFile.CurrentFormat)
            problems.Add($"format {file.Format} is not known; this version reads format {PlaybookFile.CurrentFormat}");
        if (file.UseCases is null || file.Plays is null) problems.Add("a playbook file needs \"useCases\" and \"plays\" (lists, possibly empty)");
        foreach (var dup in (file.Plays ?? []).GroupBy(p => p.Id).Where(g => g.Count() > 1))
            problems.Add($"play id '{dup.Key}' appears {dup.Count()} times; ids must be unique");
        return new PlaybookImport(problems.Count == 0 ? file : null, problems);
    }

    // One play (an API body): the play, or problems naming where, as Import does.
    public static (Play? Play, IReadOnlyList<string> Problems) ImportPlay(string json)
    {
        try
        {
            var play = JsonSerializer.Deserialize<Play>(json, Options);
            return play is null ? (null, ["not a play: the JSON is null"]) : (play, []);
        }
        catch (JsonException e)
        {
            return (null, [Describe(e)]);
        }
    }

    private static string Describe(JsonException e)
    {
        var where = $"at {(string.IsNullOrEmpty(e.Path) ? "$" : e.Path)} (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1})";
        if (e.InnerException?.GetType().Name == "JsonReaderException") return $"not a playbook file: the text is not valid JSON {where}";
        if (e.Message.IndexOf("missing required properties including: ", StringComparison.Ordinal) is var at and >= 0)
            return $"a required property is missing {where}: {e.Message[(at + 39)..].TrimEnd('.')}";
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
            return $"a property a play does not have {where}; remove it or check its spelling";
        if (e.Message.Contains("discriminator", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("polymorphic", StringComparison.OrdinalIgnoreCase))
            return $"an unknown or missing \"kind\" {where} (a trigger is event, lifecycle or scheduled; an exclusion recent_category_purchase or habitual_buyer)";
        return $"a value of the wrong kind or a missing required value {where}";
    }
}

public sealed record PlaybookImport(PlaybookFile? File, IReadOnlyList<string> Problems)
{
    public bool IsValid => File is not null;
}
