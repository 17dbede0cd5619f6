using System.Net;

namespace CodingAgent.SelfHost.Http;

/// <summary>
/// Listens where <c>--urls</c> / <c>ASPNETCORE_URLS</c> say, default <c>http://127.0.0.1:7071</c> (the port <c>func start</c> uses).
/// Explicit because the engine's Unix socket is an explicit endpoint too, which would otherwise override the configured URLs.
/// </summary>
internal static class KestrelUrls
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>The first configured URL as a local process reaches it (a wildcard host becomes 127.0.0.1): where sandboxes find the model gateway.</summary>
    public static string LocalBaseUrl(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Uri first = Parse(Urls(builder)[0]);
        return first.Host == "0.0.0.0" ? $"http://127.0.0.1:{first.Port}" : first.GetLeftPart(UriPartial.Authority);
    }

    public static WebApplicationBuilder ListenOnConfiguredUrls(this WebApplicationBuilder builder)
    {
        string[] urls = Urls(builder);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (string url in urls)
            {
                Uri uri = Parse(url);
                if (uri.Scheme != Uri.UriSchemeHttp)
                {
                    throw new InvalidOperationException($"The self-host serves plain http on loopback; '{url}' is not supported.");
                }

                if (uri.Host == "localhost")
                {
                    kestrel.ListenLocalhost(uri.Port);
                }
                else
                {
                    kestrel.Listen(IPAddress.Parse(uri.Host), uri.Port);
                }
            }
        });
        return builder;
    }

    private static string[] Urls(WebApplicationBuilder builder) =>
        (builder.Configuration["urls"] is { Length: > 0 } configured ? configured : DefaultUrl)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Uri Parse(string url) =>
        new(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
}
