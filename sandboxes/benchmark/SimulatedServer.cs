using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>
/// What one <c>opencode serve</c> process would hold, inside the shared simulator: its password, its sessions and the
/// clients following its <c>/event</c> stream.
/// </summary>
internal sealed class SimulatedServer(string directory, OpenCodeCredentials credentials, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SimulatedSession> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Channel<string>, byte> subscribers = new();
    private volatile bool closed;

    public OpenCodeCredentials Credentials { get; } = credentials;

    public long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public SimulatedSession CreateSession(string? title)
    {
        long now = Now;
        SimulatedSession session = new(OpenCodeIdSource.Next("ses", now), directory, title ?? "New session", now, this);
        sessions[session.Id] = session;
        Publish("session.created", new JsonObject { ["sessionID"] = session.Id, ["info"] = session.Info() });
        return session;
    }

    public SimulatedSession? Session(string id) => sessions.GetValueOrDefault(id);

    /// <summary>A new follower of the event stream; it gets every event published from now on.</summary>
    public Channel<string> Subscribe()
    {
        Channel<string> channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        subscribers[channel] = 0;
        if (closed)
        {
            channel.Writer.TryComplete();
        }

        return channel;
    }

    public void Unsubscribe(Channel<string> channel) => subscribers.TryRemove(channel, out _);

    public void Publish(string type, JsonObject properties)
    {
        if (subscribers.IsEmpty)
        {
            return;
        }

        string frame = OpenCodeWire.Event(type, properties, Now);
        foreach (Channel<string> channel in subscribers.Keys)
        {
            channel.Writer.TryWrite(frame);
        }
    }

    /// <summary>The process stopped: its event streams end.</summary>
    public void Close()
    {
        closed = true;
        foreach (Channel<string> channel in subscribers.Keys)
        {
            channel.Writer.TryComplete();
        }
    }
}
