using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// The open event stream of one envd process. Disposing it only disconnects: the process keeps running (docs/e2b.md §6.3).
/// </summary>
internal sealed class ProcessStream(HttpRequestMessage request, HttpResponseMessage response, Stream body) : IAsyncDisposable
{
    /// <summary>The process's events; a connection cut mid-stream becomes a readable <see cref="SandboxException"/>.</summary>
    public async IAsyncEnumerable<ProcessEvent> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<JsonElement> messages = ConnectFrames.ReadAsync(body, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (messages.ConfigureAwait(false))
        {
            while (await NextAsync(messages).ConfigureAwait(false))
            {
                if (messages.Current.Deserialize<ProcessEventEnvelope>(E2BJson.Options)?.Event is { } processEvent)
                {
                    yield return processEvent;
                }
            }
        }
    }

    private async Task<bool> NextAsync(IAsyncEnumerator<JsonElement> messages)
    {
        try
        {
            return await messages.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new SandboxException($"envd's process stream ({request.RequestUri?.AbsolutePath}) was cut: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
        request.Dispose();
    }
}
