using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CodingAgent.Agent;

/// <summary>
/// OpenCode message ids look like <c>msg_</c> + 12 hex digits of (milliseconds × 4096) + 14 base62 characters, and
/// sort by time. Ours keep that shape: the time part from when the turn was first started, the tail derived from
/// run + turn, so the id is stored once per turn and a retried post is recognised instead of sent again.
/// </summary>
public static class OpenCodeIds
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string UserMessageId(string runId, int turn, DateTimeOffset startedAt)
    {
        long stamp = (startedAt.ToUnixTimeMilliseconds() * 0x1000) & 0xFFFF_FFFF_FFFF;
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{runId}:{turn.ToString(CultureInfo.InvariantCulture)}"));
        StringBuilder id = new("msg_");
        id.Append(stamp.ToString("x12", CultureInfo.InvariantCulture));
        for (int i = 0; i < 14; i++)
        {
            id.Append(Base62[hash[i] % Base62.Length]);
        }

        return id.ToString();
    }

    /// <summary>
    /// The id of the prompt's one text part. OpenCode appends the parts of every post to the message with that id, so
    /// without a fixed part id a re-post would repeat the prompt text inside the message.
    /// </summary>
    public static string PromptPartId(string userMessageId) =>
        userMessageId.StartsWith("msg_", StringComparison.Ordinal)
            ? string.Concat("prt_", userMessageId.AsSpan(4))
            : throw new ArgumentException($"Not an OpenCode message id: {userMessageId}", nameof(userMessageId));
}
