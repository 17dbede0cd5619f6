using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// The open event stream of one envd process. Disposing it only disconnects: the process keeps running (e2b.md §6.3).
/// </summary>
internal sealed class ProcessStream(HttpRequestMessage request, HttpResponseMessage response, Stream body) : IAsyncDisposable
{
    public async IAsyncEnumerable<ProcessEvent> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (JsonElement message in ConnectFrames.ReadAsync(body, cancellationToken).ConfigureAwait(false))
        {
            if (message.Deserialize<ProcessEventEnvelope>(E2BJson.Options)?.Event is { } processEvent)
            {
                yield return processEvent;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
        request.Dispose();
    }
}
