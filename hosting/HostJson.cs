using System.Globalization;
using System.Text.Json;

namespace CodingAgent.Hosting;

/// <summary>Reads what the product needs from the Functions host's <c>host.json</c>.</summary>
public static class HostJson
{
    /// <summary><c>functionTimeout</c> (<c>hh:mm:ss</c>); null when the file or the member is missing, or it is unbounded (<c>-1</c>).</summary>
    public static TimeSpan? FunctionTimeout(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.TryGetProperty("functionTimeout", out JsonElement value)
            && value.GetString() is { } text && text != "-1"
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan timeout)
                ? timeout
                : null;
    }
}
