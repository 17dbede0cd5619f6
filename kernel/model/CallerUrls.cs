namespace CodingAgent.Model;

/// <summary>Callers' URLs as answers may show them: scheme, host and path, never the query (where signatures live).</summary>
public static class CallerUrls
{
    public static string WithoutQuery(string url) => Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? uri.GetLeftPart(UriPartial.Path) : string.Empty;
}
