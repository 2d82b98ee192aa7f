using System.Text.Json;
using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Api.Streams;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Onvif;

namespace LightNvr.Api.Onvif;

/// <summary>
/// Upstream's imaging and day/night routes (lightnvr-api.md §3): <c>GET/PUT /api/streams/{name}/imaging/settings</c>,
/// <c>GET .../imaging/options</c>, <c>GET/PUT .../daynight</c>. Every value written is checked against the camera's
/// GetOptions first (400 naming the allowed range or modes) instead of letting the camera fault. Reading needs a viewer
/// with access to the stream, writing an operator (upstream has no auth here).
/// </summary>
public static class ImagingEndpoints
{
    public const string NotOnvif = "ONVIF is not enabled for this stream";
    public const string NoSettings = "No imaging settings provided";
    public const string BadIrCut = "ir_cut_filter must be On, Off, or Auto";
    public const string BadMode = "mode must be auto, day, or night; ir_cut_filter must be On, Off, or Auto";
    public const string Source = "onvif-imaging";

    public static IEndpointRouteBuilder MapImagingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/streams/{name}").WithMetadata(StreamScope.Route("name"));
        group.MapGet("/imaging/settings", GetSettingsAsync).RequireAuthorization(Policies.Viewer);
        group.MapGet("/imaging/options", GetOptionsAsync).RequireAuthorization(Policies.Viewer);
        group.MapGet("/daynight", GetDayNightAsync).RequireAuthorization(Policies.Viewer);
        group.MapPut("/imaging/settings", SetSettingsAsync).RequireAuthorization(Policies.Operator).WithMetadata(AuthMessages.CameraControl);
        group.MapPut("/daynight", SetDayNightAsync).RequireAuthorization(Policies.Operator).WithMetadata(AuthMessages.CameraControl);
        return app;
    }

    private static Task<IResult> GetSettingsAsync(string name, HttpContext context, StreamStore streams, OnvifImaging imaging) =>
        WithStreamAsync(name, context, streams, async stream =>
        {
            var (source, s) = await imaging.GetSettingsAsync(stream, context.RequestAborted).ConfigureAwait(false);
            var settings = new JsonObject { ["video_source_token"] = source };
            Add(settings, "brightness", s.Brightness);
            Add(settings, "color_saturation", s.ColorSaturation);
            Add(settings, "contrast", s.Contrast);
            Add(settings, "sharpness", s.Sharpness);
            if (s.IrCutFilter is { } ir)
            {
                settings["ir_cut_filter"] = TitleCase(ir);
            }
            if (s.BacklightCompensation is not null || s.BacklightLevel is not null)
            {
                settings["backlight_compensation"] = ModeLevel(s.BacklightCompensation, s.BacklightLevel);
            }
            if (s.WideDynamicRange is not null || s.WideDynamicRangeLevel is not null)
            {
                settings["wide_dynamic_range"] = ModeLevel(s.WideDynamicRange, s.WideDynamicRangeLevel);
            }
            Add(settings, "noise_reduction", s.NoiseReduction);
            if (s.ToneCompensation is not null || s.ToneCompensationLevel is not null)
            {
                settings["tone_compensation"] = ModeLevel(s.ToneCompensation, s.ToneCompensationLevel);
            }
            if (s.Defogging is not null || s.DefoggingLevel is not null)
            {
                settings["defogging"] = ModeLevel(s.Defogging, s.DefoggingLevel);
            }
            return JsonReply.Ok(new JsonObject { ["success"] = true, ["settings"] = settings });
        });

    private static Task<IResult> GetOptionsAsync(string name, HttpContext context, StreamStore streams, OnvifImaging imaging) =>
        WithStreamAsync(name, context, streams, async stream =>
        {
            var (source, o) = await imaging.GetOptionsAsync(stream, context.RequestAborted).ConfigureAwait(false);
            var options = new JsonObject { ["video_source_token"] = source };
            AddRange(options, "brightness", o.Brightness);
            AddRange(options, "color_saturation", o.ColorSaturation);
            AddRange(options, "contrast", o.Contrast);
            AddRange(options, "sharpness", o.Sharpness);
            if (o.BacklightModes.Count > 0 || o.BacklightLevel is not null)
            {
                options["backlight_compensation"] = ModesLevel(o.BacklightModes, o.BacklightLevel);
            }
            if (o.WideDynamicRangeModes.Count > 0 || o.WideDynamicRangeLevel is not null)
            {
                options["wide_dynamic_range"] = ModesLevel(o.WideDynamicRangeModes, o.WideDynamicRangeLevel);
            }
            options["ir_cut_filter_modes"] = Strings(o.IrCutFilterModes);
            AddRange(options, "noise_reduction", o.NoiseReduction);
            if (o.ToneCompensationModes.Count > 0 || o.ToneCompensationLevel is not null)
            {
                options["tone_compensation"] = ModesLevel(o.ToneCompensationModes, o.ToneCompensationLevel);
            }
            if (o.DefoggingModes.Count > 0 || o.DefoggingLevel is not null)
            {
                options["defogging"] = ModesLevel(o.DefoggingModes, o.DefoggingLevel);
            }
            return JsonReply.Ok(new JsonObject { ["success"] = true, ["options"] = options });
        });

    private static Task<IResult> SetSettingsAsync(string name, HttpContext context, StreamStore streams, OnvifImaging imaging) =>
        WithStreamAsync(name, context, streams, async stream =>
        {
            var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return bodyError!;
            }
            var (change, problem) = ParseChange(body);
            if (change is null)
            {
                return ApiErrors.BadRequest(problem!);
            }
            var (_, options) = await imaging.GetOptionsAsync(stream, context.RequestAborted).ConfigureAwait(false);
            if (Check(change, options) is { } outside)
            {
                return ApiErrors.BadRequest(outside);
            }
            await imaging.SetAsync(stream, change, context.RequestAborted).ConfigureAwait(false);
            return JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "ONVIF imaging settings updated" });
        });

    private static Task<IResult> GetDayNightAsync(string name, HttpContext context, StreamStore streams, OnvifImaging imaging) =>
        WithStreamAsync(name, context, streams, async stream =>
        {
            var (source, settings) = await imaging.GetSettingsAsync(stream, context.RequestAborted).ConfigureAwait(false);
            ImagingOptions? options = null;
            try
            {
                options = (await imaging.GetOptionsAsync(stream, context.RequestAborted).ConfigureAwait(false)).Options;
            }
            catch (OnvifException e) when (e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault or OnvifErrorKind.BadReply)
            {
                // GetOptions is optional in practice: the mode is still shown.
            }
            return JsonReply.Ok(new JsonObject
            {
                ["success"] = true,
                ["source"] = Source,
                ["video_source_token"] = source,
                ["mode"] = Mode(settings.IrCutFilter),
                ["ir_cut_filter"] = settings.IrCutFilter is { } ir ? TitleCase(ir) : null,
                ["supported_modes"] = Strings(options?.IrCutFilterModes.Select(Mode).Where(m => m != "unknown").Distinct().ToList() ?? []),
                ["options_available"] = options is not null,
            });
        });

    private static Task<IResult> SetDayNightAsync(string name, HttpContext context, StreamStore streams, OnvifImaging imaging) =>
        WithStreamAsync(name, context, streams, async stream =>
        {
            var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return bodyError!;
            }
            var fields = new RequestFields(body);
            var mode = fields.String("mode", 32) ?? fields.String("daynight", 32);
            var ir = fields.String("ir_cut_filter", 32) ?? fields.String("ircut", 32);
            var persist = fields.Bool("force_persistence") ?? true;
            if (fields.Error is { } error)
            {
                return ApiErrors.BadRequest(error);
            }
            var filter = mode is not null
                ? mode.ToLowerInvariant() switch { "auto" => "AUTO", "day" or "color" or "colour" => "ON", "night" or "bw" or "blackwhite" => "OFF", _ => null }
                : IrCut(ir);
            if (filter is null)
            {
                return ApiErrors.BadRequest(BadMode);
            }
            var (_, options) = await imaging.GetOptionsAsync(stream, context.RequestAborted).ConfigureAwait(false);
            if (options.IrCutFilterModes.Count > 0 && !options.IrCutFilterModes.Contains(filter, StringComparer.OrdinalIgnoreCase))
            {
                return ApiErrors.BadRequest($"this camera does not offer {Mode(filter)} (its IR cut filter modes: {string.Join(", ", options.IrCutFilterModes)})");
            }
            await imaging.SetAsync(stream, new ImagingChange(IrCutFilter: filter, ForcePersistence: persist), context.RequestAborted).ConfigureAwait(false);
            return JsonReply.Ok(new JsonObject { ["success"] = true, ["source"] = Source, ["mode"] = Mode(filter), ["ir_cut_filter"] = TitleCase(filter) });
        });

    /// <summary>The body's values, upstream's names and aliases; shape errors only (ranges come from the camera).</summary>
    private static (ImagingChange? Change, string? Problem) ParseChange(JsonObject body)
    {
        var fields = new RequestFields(body);
        double? Number(params string[] names) =>
            names.FirstOrDefault(fields.Has) is { } n ? fields.Number(n, double.MinValue, double.MaxValue) : null;
        var (brightness, saturation, contrast, sharpness, noise) = (Number("brightness"), Number("color_saturation", "saturation"),
            Number("contrast"), Number("sharpness"), Number("noise_reduction"));
        var (toneMode, toneLevel, toneProblem) = ModeLevel(body, "tone_compensation", "tone");
        var (defogMode, defogLevel, defogProblem) = ModeLevel(body, "defogging", "defog");
        var (backlightMode, backlightLevel, backlightProblem) = ModeLevel(body, "backlight_compensation", "backlight");
        var (wdrMode, wdrLevel, wdrProblem) = ModeLevel(body, "wide_dynamic_range", "wdr");
        var irText = fields.String("ir_cut_filter", 32) ?? fields.String("ircut", 32);
        var persist = fields.Bool("force_persistence") ?? true;
        if ((fields.Error ?? backlightProblem ?? wdrProblem ?? toneProblem ?? defogProblem) is { } problem)
        {
            return (null, problem);
        }
        var ir = irText is null ? null : IrCut(irText);
        if (irText is not null && ir is null)
        {
            return (null, BadIrCut);
        }
        var change = new ImagingChange(brightness, saturation, contrast, sharpness, ir, backlightMode, backlightLevel, wdrMode, wdrLevel, persist)
        {
            NoiseReduction = noise,
            ToneCompensationMode = toneMode,
            ToneCompensationLevel = toneLevel,
            DefoggingMode = defogMode,
            DefoggingLevel = defogLevel,
        };
        return change.IsEmpty ? (null, NoSettings) : (change, null);
    }

    /// <summary><c>{"mode":"ON","level":50}</c> or a bare number (the level).</summary>
    private static (string? Mode, double? Level, string? Problem) ModeLevel(JsonObject body, params string[] names)
    {
        var name = names.FirstOrDefault(n => body[n] is not null);
        if (name is null)
        {
            return (null, null, null);
        }
        var node = body[name]!;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return (null, v.GetValue<double>(), null);
        }
        if (node is JsonObject o)
        {
            var fields = new RequestFields(o);
            var mode = fields.String("mode", 32)?.ToUpperInvariant();
            var level = fields.Number("level", double.MinValue, double.MaxValue);
            return fields.Error is { } e ? (null, null, $"{name}: {e}") : (mode, level, null);
        }
        return (null, null, $"{name} must be an object {{mode, level}} or a number");
    }

    /// <summary>The first value outside the camera's options, as a message naming the allowed range or modes.</summary>
    private static string? Check(ImagingChange c, ImagingOptions o)
    {
        foreach (var (name, value, range) in new[]
        {
            ("brightness", c.Brightness, o.Brightness), ("color_saturation", c.ColorSaturation, o.ColorSaturation),
            ("contrast", c.Contrast, o.Contrast), ("sharpness", c.Sharpness, o.Sharpness),
            ("backlight_compensation level", c.BacklightLevel, o.BacklightLevel), ("wide_dynamic_range level", c.WideDynamicRangeLevel, o.WideDynamicRangeLevel),
            ("noise_reduction", c.NoiseReduction, o.NoiseReduction), ("tone_compensation level", c.ToneCompensationLevel, o.ToneCompensationLevel),
            ("defogging level", c.DefoggingLevel, o.DefoggingLevel),
        })
        {
            if (value is not double v)
            {
                continue;
            }
            if (range is null)
            {
                return $"{name} is not adjustable on this camera";
            }
            if (!range.Contains(v))
            {
                return $"{name} must be between {range.Min} and {range.Max} (the camera's range)";
            }
        }
        foreach (var (name, mode, modes) in new[]
        {
            ("ir_cut_filter", c.IrCutFilter, o.IrCutFilterModes), ("backlight_compensation mode", c.BacklightMode, o.BacklightModes),
            ("wide_dynamic_range mode", c.WideDynamicRangeMode, o.WideDynamicRangeModes),
        })
        {
            if (mode is not null && modes.Count > 0 && !modes.Contains(mode, StringComparer.OrdinalIgnoreCase))
            {
                return $"{name} must be one of {string.Join(", ", modes)} (the camera's modes)";
            }
        }
        // The extension settings exist only where the camera's options list them (tt:ImagingOptions20Extension3): a
        // mode the camera lists no modes for, or a level it offers no Level for, is refused, never sent.
        foreach (var (name, mode, modes) in new[]
        {
            ("tone_compensation", c.ToneCompensationMode ?? (c.ToneCompensationLevel is null ? null : "ON"), o.ToneCompensationModes),
            ("defogging", c.DefoggingMode ?? (c.DefoggingLevel is null ? null : "ON"), o.DefoggingModes),
        })
        {
            if (mode is null)
            {
                continue;
            }
            if (modes.Count == 0)
            {
                return $"{name} is not adjustable on this camera";
            }
            if (!modes.Contains(mode, StringComparer.OrdinalIgnoreCase))
            {
                return $"{name} mode must be one of {string.Join(", ", modes)} (the camera's modes)";
            }
        }
        return null;
    }

    private static string? IrCut(string? text) => text?.ToUpperInvariant() switch
    {
        "ON" => "ON",
        "OFF" => "OFF",
        "AUTO" => "AUTO",
        _ => null,
    };

    /// <summary>Day/night from the IR cut filter: ON filters infrared (day, colour), OFF lets it in (night, black and white).</summary>
    private static string Mode(string? irCutFilter) => irCutFilter?.ToUpperInvariant() switch
    {
        "ON" => "day",
        "OFF" => "night",
        "AUTO" => "auto",
        _ => "unknown",
    };

    private static string TitleCase(string mode) => mode.Length == 0 ? mode : char.ToUpperInvariant(mode[0]) + mode[1..].ToLowerInvariant();

    private static void Add(JsonObject o, string name, double? value)
    {
        if (value is double v)
        {
            o[name] = v;
        }
    }

    private static void AddRange(JsonObject o, string name, ImagingRange? range)
    {
        if (range is not null)
        {
            o[name] = new JsonObject { ["min"] = range.Min, ["max"] = range.Max };
        }
    }

    private static JsonObject ModeLevel(string? mode, double? level)
    {
        var o = new JsonObject();
        if (mode is not null)
        {
            o["mode"] = mode;
        }
        Add(o, "level", level);
        return o;
    }

    private static JsonObject ModesLevel(IReadOnlyList<string> modes, ImagingRange? level)
    {
        var o = new JsonObject { ["modes"] = Strings(modes) };
        AddRange(o, "level", level);
        return o;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static Task<IResult> WithStreamAsync(string name, HttpContext context, StreamStore streams, Func<StreamConfig, Task<IResult>> action) =>
        OnvifJson.WithCameraAsync(name, context, streams, stream => stream.IsOnvif ? null : NotOnvif, action);
}
