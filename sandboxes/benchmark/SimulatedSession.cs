using System.Text;
using System.Text.Json.Nodes;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>
/// One OpenCode session of the simulator. A prompt is answered at once: the user message is stored (an upsert by message
/// and part id, as OpenCode does), then a completed assistant reply with <c>parentID</c> = that id, one text part and
/// finish <c>stop</c>; the events of a text-only turn go to the server's followers. A prompt that already has a reply
/// is not answered again (OpenCode only blips busy/idle then).
/// </summary>
internal sealed class SimulatedSession(string id, string directory, string title, long created, SimulatedServer server)
{
    public const string ReplyText = "ok";
    private static readonly OpenCodeWire.Tokens ReplyTokens = new(100, 1);

    private readonly Lock gate = new();
    private readonly List<StoredMessage> messages = [];

    public string Id { get; } = id;

    public JsonObject Info() => OpenCodeWire.Session(Id, directory, title, created);

    public void Prompt(string? messageId, IReadOnlyList<PromptPart> parts)
    {
        lock (gate)
        {
            long now = server.Now;
            string userId = messageId ?? OpenCodeIdSource.Next("msg", now);
            StoredMessage? user = messages.Find(m => m.Id == userId);
            if (user is null)
            {
                user = new StoredMessage(userId, null, now);
                messages.Add(user);
            }

            foreach (PromptPart part in parts)
            {
                user.Upsert(part with { Id = part.Id ?? OpenCodeIdSource.Next("prt", now) });
            }

            user.Json = OpenCodeWire.Message(OpenCodeWire.UserInfo(userId, Id, user.Created), user.Parts.Select(p => OpenCodeWire.UserText(p.Id!, userId, Id, p.Text)));
            server.Publish("message.updated", new JsonObject { ["sessionID"] = Id, ["info"] = OpenCodeWire.UserInfo(userId, Id, user.Created) });
            foreach (PromptPart part in user.Parts)
            {
                PublishPart(OpenCodeWire.UserText(part.Id!, userId, Id, part.Text), now);
            }

            PublishStatus("busy");
            if (!messages.Exists(m => m.ParentId == userId))
            {
                messages.Add(Reply(userId, now));
            }

            PublishStatus("idle");
            server.Publish("session.idle", new JsonObject { ["sessionID"] = Id });
        }
    }

    /// <summary>The body of <c>GET /session/{id}/message</c>, oldest first.</summary>
    public string MessagesJson()
    {
        lock (gate)
        {
            StringBuilder json = new("[");
            json.AppendJoin(',', messages.Select(m => m.Json));
            return json.Append(']').ToString();
        }
    }

    private StoredMessage Reply(string parentId, long now)
    {
        string replyId = OpenCodeIdSource.Next("msg", now);
        string stepStart = OpenCodeIdSource.Next("prt", now);
        string text = OpenCodeIdSource.Next("prt", now);
        string stepFinish = OpenCodeIdSource.Next("prt", now);
        server.Publish("message.updated", new JsonObject
        {
            ["sessionID"] = Id,
            ["info"] = OpenCodeWire.AssistantInfo(replyId, parentId, Id, directory, now, null, default),
        });
        PublishPart(OpenCodeWire.StepStart(stepStart, replyId, Id), now);
        PublishPart(OpenCodeWire.AssistantText(text, replyId, Id, ReplyText, now, now), now);
        PublishPart(OpenCodeWire.StepFinish(stepFinish, replyId, Id, ReplyTokens), now);
        server.Publish("message.updated", new JsonObject
        {
            ["sessionID"] = Id,
            ["info"] = OpenCodeWire.AssistantInfo(replyId, parentId, Id, directory, now, now, ReplyTokens),
        });

        return new StoredMessage(replyId, parentId, now)
        {
            Json = OpenCodeWire.Message(
                OpenCodeWire.AssistantInfo(replyId, parentId, Id, directory, now, now, ReplyTokens),
                [
                    OpenCodeWire.StepStart(stepStart, replyId, Id),
                    OpenCodeWire.AssistantText(text, replyId, Id, ReplyText, now, now),
                    OpenCodeWire.StepFinish(stepFinish, replyId, Id, ReplyTokens),
                ]),
        };
    }

    private void PublishPart(JsonObject part, long now) =>
        server.Publish("message.part.updated", new JsonObject { ["sessionID"] = Id, ["part"] = part, ["time"] = now });

    private void PublishStatus(string type) =>
        server.Publish("session.status", new JsonObject { ["sessionID"] = Id, ["status"] = new JsonObject { ["type"] = type } });

    /// <summary>A stored message: its rendered JSON, plus the parts of a user message so a re-post can update them.</summary>
    private sealed class StoredMessage(string id, string? parentId, long created)
    {
        public string Id { get; } = id;

        public string? ParentId { get; } = parentId;

        public long Created { get; } = created;

        public List<PromptPart> Parts { get; } = [];

        public string Json { get; set; } = string.Empty;

        public void Upsert(PromptPart part)
        {
            int index = Parts.FindIndex(p => p.Id == part.Id);
            if (index >= 0)
            {
                Parts[index] = part;
            }
            else
            {
                Parts.Add(part);
            }
        }
    }
}

/// <summary>A text part of a posted prompt; OpenCode gives it an id when the post does not.</summary>
internal sealed record PromptPart(string? Id, string Text);
