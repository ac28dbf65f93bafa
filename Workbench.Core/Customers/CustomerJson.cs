using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Core.Customers;

// One JSON shape for the API and the command line: camelCase, indented.
public static class CustomerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A non-finite number never makes a reply fail: written as "NaN" or "Infinity" rather than throwing.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
