using System.Net;
using System.Text;
using System.Text.Json;

namespace CodingAgent.Tests.Support;

/// <summary>
/// Turns a corpus case into the exact request it describes: placeholders filled in (<c>{runId}</c>, <c>{otherRunId}</c>,
/// <c>{repo}</c>), the symbolic <c>auth</c> replaced by a real header, the path sent without normalisation.
/// </summary>
/// <param name="keys">Symbolic auth value → the full <c>Authorization</c> value; <c>none</c> sends no header.</param>
public sealed class HostileRequests(Uri baseUrl, IReadOnlyDictionary<string, string> keys, IReadOnlyDictionary<string, string> placeholders)
{
    public const string AuthHeader = "auth";

    public HttpRequestMessage Build(HostileCase hostile)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        string path = Fill(hostile.Path);
        string url = path.StartsWith('/') ? baseUrl.GetLeftPart(UriPartial.Authority) + path : $"{baseUrl}api/v1/coding-agent/{path}";

        // As written: no dot-segment removal or unescaping, so traversal attempts reach the server unchanged.
        HttpRequestMessage request = new(new HttpMethod(hostile.Method), new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        foreach ((string name, JsonElement value) in hostile.Headers)
        {
            if (name == AuthHeader)
            {
                string auth = value.GetString() ?? throw new InvalidOperationException($"{hostile.Name}: auth must be a string.");
                if (auth != "none")
                {
                    request.Headers.TryAddWithoutValidation("Authorization", keys.TryGetValue(auth, out string? header)
                        ? header
                        : throw new InvalidOperationException($"{hostile.Name}: unknown auth '{auth}'."));
                }
            }
            else if (!request.Headers.TryAddWithoutValidation(name, Fill(value.GetString()!)))
            {
                throw new InvalidOperationException($"{hostile.Name}: header '{name}' cannot be sent.");
            }
        }

        byte[]? body = Body(hostile);
        if (body is not null || hostile.ContentType is not null)
        {
            request.Content = hostile.Chunked ? new ChunkedContent(body ?? []) : new ByteArrayContent(body ?? []);
            if (hostile.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", hostile.ContentType);
            }
        }

        return request;
    }

    private byte[]? Body(HostileCase hostile) => hostile.Body.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.String => Encoding.UTF8.GetBytes(Fill(hostile.Body.GetString()!)),
        JsonValueKind.Object => Generate(HostileCorpus.Generated(hostile.Body)),
        _ => throw new InvalidOperationException($"{hostile.Name}: body must be a string or a generator object."),
    };

    private byte[] Generate(GeneratedBody generated)
    {
        if (generated.Base64 is not null)
        {
            return Convert.FromBase64String(generated.Base64);
        }

        StringBuilder text = new(Fill(generated.Prefix));
        text.Insert(text.Length, generated.Repeat ?? throw new InvalidOperationException("A generated body needs $repeat or $base64."), generated.Count);
        text.Append(Fill(generated.Suffix));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private string Fill(string text) =>
        placeholders.Aggregate(text, (filled, placeholder) => filled.Replace("{" + placeholder.Key + "}", placeholder.Value, StringComparison.Ordinal));

    /// <summary>A body without a known length, so the client sends it chunked and the server must count while reading.</summary>
    private sealed class ChunkedContent(byte[] content) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(content).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
