using System.Xml.Linq;
using LightNvr.Onvif;

namespace LightNvr.Tests.Onvif;

/// <summary>
/// The client parses real camera replies: every Device, Media, PTZ, Imaging and Events reply among the npm
/// <c>onvif@0.6.2</c> captures (TestData/README.md) is a SOAP envelope whose Body is the operation's response, and
/// the replies the client has a parser for give the values written in them.
/// </summary>
public sealed class CapturedReplyTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Onvif", "TestData", "captures");

    /// <summary>Not operation replies: a fault template (not well-formed, below) and a WS-Discovery ProbeMatches.</summary>
    private static readonly string[] NotReplies = ["Error.xml", "Probe.xml"];

    public static TheoryData<string> Replies()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.xml").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (!NotReplies.Contains(file))
            {
                data.Add(file!);
            }
        }
        return data;
    }

    /// <summary>
    /// Five captures lost their namespace declarations when the package's authors trimmed them
    /// (<c>&lt;SOAP-ENV:Envelope      &gt;</c>): not well-formed XML, which no camera sends and the client refuses
    /// (<see cref="Captures_without_namespace_declarations_are_refused_as_bad_replies"/>). To read what is in them,
    /// the standard ONVIF declarations are put back into the root tag here.
    /// </summary>
    private static readonly string[] Trimmed =
    [
        "GetSnapshotUri.xml", "imaging.GetServiceCapabilities.xml", "media.GetAudioEncoderConfigurationOptions.xml",
        "media.GetVideoEncoderConfigurationOptions.xml", "media.SetAudioEncoderConfiguration.xml",
    ];

    private static readonly (string Prefix, string Uri)[] StandardDeclarations =
    [
        ("SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope"), ("tt", "http://www.onvif.org/ver10/schema"),
        ("trt", "http://www.onvif.org/ver10/media/wsdl"), ("timg", "http://www.onvif.org/ver20/imaging/wsdl"),
        ("wsse", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"),
        ("wsu", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"),
    ];

    private static XElement Body(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        if (Trimmed.Contains(file))
        {
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            var at = text.IndexOf("<SOAP-ENV:Envelope", StringComparison.Ordinal) + "<SOAP-ENV:Envelope".Length;
            var missing = string.Concat(StandardDeclarations.Where(d => !text.Contains($"xmlns:{d.Prefix}=", StringComparison.Ordinal))
                .Select(d => $" xmlns:{d.Prefix}=\"{d.Uri}\""));
            bytes = System.Text.Encoding.UTF8.GetBytes(text.Insert(at, missing));
        }
        using var stream = new MemoryStream(bytes);
        return SoapReply.Body(stream);
    }

    [Fact]
    public void Captures_without_namespace_declarations_are_refused_as_bad_replies()
    {
        foreach (var file in Trimmed)
        {
            using var stream = File.OpenRead(Path.Combine(Folder, file));
            var error = Assert.Throws<OnvifException>(() => SoapReply.Body(stream));
            Assert.Equal(OnvifErrorKind.BadReply, error.Kind);
            Assert.Contains("undeclared prefix", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_captures_are_all_there_and_hold_no_private_address()
    {
        var files = Directory.GetFiles(Folder, "*.xml");
        Assert.Equal(58, files.Length);
        Assert.All(files, f => Assert.DoesNotContain("192.168.", File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void Every_captured_reply_is_an_envelope_holding_its_operations_response(string file)
    {
        var body = Body(file);
        // "…Encoder.xml": the same operation captured from a video encoder rather than a camera.
        var operation = Path.GetFileNameWithoutExtension(file).Split('.')[^1];
        operation = file.EndsWith("Encoder.xml", StringComparison.Ordinal) ? operation[..^"Encoder".Length] : operation;
        Assert.Equal(operation + "Response", body.Name.LocalName);
    }

    [Fact]
    public void Device_replies_parse_to_their_values()
    {
        Assert.Equal(new DateTimeOffset(2014, 12, 24, 19, 14, 37, TimeSpan.Zero), DeviceReplies.SystemDateAndTime(Body("GetSystemDateAndTime.xml")));
        Assert.Equal(new OnvifDeviceInformation("Mockup Manufacturer", "Mockup Model", "Mockup_15_14_13", "00000000", "MOCKUP"),
            DeviceReplies.DeviceInformation(Body("GetDeviceInformation.xml")));

        var caps = DeviceReplies.Capabilities(Body("GetCapabilities.xml"));
        var services = new Uri("http://127.0.0.1/onvif/services");
        Assert.Equal(services, caps.Media);
        Assert.Equal(services, caps.Ptz);
        Assert.Equal(services, caps.Imaging);
        Assert.Equal(services, caps.Events);
        Assert.True(caps.PullPointSupport);

        var fromServices = DeviceReplies.Services(Body("GetServices.xml"));
        Assert.NotNull(fromServices.Device);
        Assert.NotNull(fromServices.Media);
        Assert.NotNull(fromServices.Ptz);
        Assert.NotNull(fromServices.Imaging);
        Assert.NotNull(fromServices.Events);

        Assert.Contains("onvif://www.onvif.org/Profile/Streaming", DeviceReplies.Scopes(Body("GetScopes.xml")));
    }

    [Fact]
    public void Media_replies_parse_to_their_values()
    {
        var profile = Assert.Single(MediaReplies.Profiles(Body("GetProfiles.xml")));
        Assert.Equal(new OnvifProfile("main", "main", "vidsrc0", "H264", 1920, 1080, 5, 1000, "default"), profile);
        Assert.Equal("rtsp://127.0.0.1/h264main", MediaReplies.Uri(Body("GetStreamUri.xml")));
        Assert.Equal("http://127.0.0.1/onvif-cgi/jpg/image.cgi?resolution=800x600&compression=20&camera=1",
            MediaReplies.Uri(Body("GetSnapshotUri.xml")));
        Assert.NotEmpty(MediaReplies.VideoSources(Body("media.GetVideoSources.xml")));
    }

    [Fact]
    public void Ptz_imaging_and_event_replies_parse_to_their_values()
    {
        var presets = PtzReplies.Presets(Body("ptz.GetPresets.xml"));
        Assert.Equal(new PtzPreset("P001", "P001"), presets[0]);
        Assert.True(presets.Count > 10);
        var status = PtzReplies.Status(Body("GetStatus.xml"));
        Assert.Equal(-0.864665985, status.Pan!.Value, 9);
        Assert.Equal(0.267444015, status.Tilt!.Value, 9);
        Assert.Equal(0.211861998, status.Zoom!.Value, 9);
        Assert.Equal("IDLE", status.MoveStatus);
        // This camera's absolute pan/tilt space is 0..1, not the generic −1..1: the API checks positions against it.
        // Its generic speed spaces (0..1) bound the `speed` fields of absolute and relative moves.
        Assert.Equal(new PtzNode(true, true, true, true, true, true, 360, new PtzRange(0, 1), new PtzRange(0, 1), new PtzRange(0, 1))
            {
                PanTiltSpeed = new PtzRange(0, 1),
                ZoomSpeed = new PtzRange(0, 1),
            },
            PtzReplies.Node(Body("GetNodes.xml")));

        var imaging = ImagingReplies.Settings(Body("imaging.GetImagingSettings.xml"));
        Assert.Equal((255d, 128d, 128d, 128d), (imaging.Brightness!.Value, imaging.ColorSaturation!.Value, imaging.Contrast!.Value, imaging.Sharpness!.Value));

        var (address, termination) = EventReplies.Subscription(Body("events.CreatePullPointSubscription.xml"));
        Assert.Equal(new Uri("http://127.0.0.1:8000/onvif/subscription?Idx=0"), address);
        Assert.Equal(new DateTimeOffset(2014, 12, 24, 19, 14, 42, TimeSpan.Zero), termination);
        var messages = EventReplies.PullMessages(Body("PullMessages.xml"));
        Assert.Equal(2, messages.Count);
        Assert.Equal("tns1:RuleEngine/CellMotionDetector/Motion", messages[0].Topic);
        Assert.Equal("true", messages[0].Data["IsMotion"]);
        Assert.Equal("000", messages[0].Source["VideoSourceConfigurationToken"]);
    }

    [Fact]
    public void The_fault_template_is_refused_as_not_well_formed_and_reads_as_a_fault_once_repaired()
    {
        var path = Path.Combine(Folder, "Error.xml");
        using (var stream = File.OpenRead(path))
        {
            Assert.Equal(OnvifErrorKind.BadReply, Assert.Throws<OnvifException>(() => SoapReply.Body(stream)).Kind);
        }
        // Its two flaws: typographic quotes in the declaration, and SOAP-ENV used while declared as "soapenv".
        var repaired = File.ReadAllText(path).Replace("version=”1.0”", "version=\"1.0\"", StringComparison.Ordinal)
            .Replace("xmlns:soapenv=", "xmlns:SOAP-ENV=", StringComparison.Ordinal);
        using var fixedStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(repaired));
        var error = Assert.Throws<OnvifException>(() => SoapReply.Body(fixedStream));
        Assert.Equal(OnvifErrorKind.Fault, error.Kind);
        Assert.Contains("fault reason", error.Message, StringComparison.Ordinal);
    }
}
