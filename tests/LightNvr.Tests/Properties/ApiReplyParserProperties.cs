using System.Text;
using FsCheck.Xunit;
using LightNvr.Detection.Objects.Api;

namespace LightNvr.Tests.Properties;

/// <summary>
/// A detection service's reply is input from the network: <see cref="ApiReplyParser.Parse"/> either returns at most
/// <see cref="ApiReplyParser.MaxDetections"/> objects, each with a label, a confidence 0–1 and a box inside the frame,
/// or throws <see cref="FormatException"/> — never another exception — for any bytes, and for mutations of valid
/// replies of both formats (the replies are built from JSON fragments so most cases get past the JSON parser).
/// </summary>
public sealed class ApiReplyParserProperties
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"label\"", "\"confidence\"", "\"x_min\"", "\"y_min\"", "\"x_max\"", "\"y_max\"",
        "\"predictions\"", "\"detections\"", "\"bounding_box\"", "\"success\"", "\"error\"", "true", "false", "null",
        "0", "1", "-1", "0.5", "1e308", "-1e308", "1e-320", "640", "\"person\"", "\"\"", "\" \"", "\"\\u0000\"",
    ];

    private const string DeepStack =
        """{"success":true,"predictions":[{"label":"person","confidence":0.9,"x_min":10,"y_min":20,"x_max":100,"y_max":200}]}""";

    private const string LightObjectDetect =
        """{"detections":[{"label":"cat","confidence":0.7,"bounding_box":{"x_min":0.1,"y_min":0.2,"x_max":0.3,"y_max":0.4}}]}""";

    [Property(MaxTest = 500)]
    public void Random_bytes_parse_or_are_a_format_error(byte[]? body, bool deepStack) =>
        Check(body ?? [], deepStack);

    [Property(MaxTest = 1000)]
    public void Fragment_soup_parses_or_is_a_format_error(int[]? picks, bool deepStack)
    {
        var sb = new StringBuilder();
        foreach (var p in picks ?? [])
        {
            sb.Append(Fragments[(int)((uint)p % Fragments.Length)]);
        }
        Check(Encoding.UTF8.GetBytes(sb.ToString()), deepStack);
    }

    [Property(MaxTest = 1000)]
    public void Mutated_valid_replies_parse_or_are_a_format_error(int position, byte value, bool deepStack, bool insert)
    {
        var bytes = Encoding.UTF8.GetBytes(deepStack ? DeepStack : LightObjectDetect).ToList();
        var at = (int)((uint)position % bytes.Count);
        if (insert)
        {
            bytes.Insert(at, value);
        }
        else
        {
            bytes[at] = value;
        }
        Check(bytes.ToArray(), deepStack);
    }

    private static void Check(byte[] body, bool deepStack)
    {
        var format = deepStack ? ApiDetectorFormat.DeepStack : ApiDetectorFormat.LightObjectDetect;
        IReadOnlyList<LightNvr.Detection.Objects.DetectedObject> found;
        try
        {
            found = ApiReplyParser.Parse(format, body, 640, 360);
        }
        catch (FormatException)
        {
            return;
        }
        Assert.InRange(found.Count, 0, ApiReplyParser.MaxDetections);
        foreach (var o in found)
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Label));
            Assert.InRange(o.Confidence, 0f, 1f);
            Assert.InRange(o.Box.X, 0f, 1f);
            Assert.InRange(o.Box.Y, 0f, 1f);
            Assert.InRange(o.Box.X + o.Box.Width, 0f, 1.0001f);
            Assert.InRange(o.Box.Y + o.Box.Height, 0f, 1.0001f);
            Assert.True(o.Box.Width >= 0 && o.Box.Height >= 0);
        }
    }
}
