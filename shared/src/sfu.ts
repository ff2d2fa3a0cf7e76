import { z } from 'zod';
import { IdSchema } from './common';

/**
 * Live video signalling (`sfu:*` socket events). The browser side speaks mediasoup-client; these
 * schemas bound what a client may send (sizes, shapes, ranges) before mediasoup sees it. Nested
 * media descriptions use `z.object`, which drops keys we do not know, so a newer client's extra
 * fields never reach the worker; top-level payloads are strict.
 */

const uint32 = z.number().int().min(0).max(0xffff_ffff);
const shortText = (max: number) => z.string().min(1).max(max);
/** Codec and header-extension parameters: a small flat map of strings and numbers. */
const ParamsSchema = z
  .record(z.string().max(64), z.union([z.string().max(256), z.number().finite()]))
  .refine((p) => Object.keys(p).length <= 32, 'too many parameters');

export const MediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKindSchema>;

export const RtcpFeedbackSchema = z.object({ type: shortText(32), parameter: z.string().max(32).optional() });

export const RtpCodecCapabilitySchema = z.object({
  kind: MediaKindSchema,
  mimeType: z.string().regex(/^(audio|video)\/[A-Za-z0-9.+-]{1,32}$/),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  clockRate: z.number().int().min(1).max(1_000_000),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: ParamsSchema.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).max(16).optional(),
});

export const RtpHeaderExtensionSchema = z.object({
  kind: MediaKindSchema,
  uri: z.string().min(1).max(256),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

/** What a device can receive (mediasoup-client `device.rtpCapabilities`). */
export const RtpCapabilitiesSchema = z.object({
  codecs: z.array(RtpCodecCapabilitySchema).max(64).optional(),
  headerExtensions: z.array(RtpHeaderExtensionSchema).max(32).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

export const RtpEncodingSchema = z.object({
  ssrc: uint32.optional(),
  rid: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/).optional(),
  codecPayloadType: z.number().int().min(0).max(127).optional(),
  rtx: z.object({ ssrc: uint32 }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().regex(/^[A-Za-z0-9_]{1,16}$/).optional(),
  scaleResolutionDownBy: z.number().min(1).max(64).optional(),
  maxBitrate: z.number().int().min(1).max(50_000_000).optional(),
});

/** What a sender will send (mediasoup-client hands it over in the send transport's `produce` event). */
export const RtpParametersSchema = z.object({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.object({
        mimeType: z.string().regex(/^(audio|video)\/[A-Za-z0-9.+-]{1,32}$/),
        payloadType: z.number().int().min(0).max(127),
        clockRate: z.number().int().min(1).max(1_000_000),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: ParamsSchema.optional(),
        rtcpFeedback: z.array(RtcpFeedbackSchema).max(16).optional(),
      }),
    )
    .min(1)
    .max(8),
  headerExtensions: z
    .array(z.object({ uri: z.string().min(1).max(256), id: z.number().int().min(1).max(255), encrypt: z.boolean().optional(), parameters: ParamsSchema.optional() }))
    .max(16)
    .optional(),
  encodings: z.array(RtpEncodingSchema).max(4).optional(),
  rtcp: z.object({ cname: z.string().max(64).optional(), reducedSize: z.boolean().optional(), mux: z.boolean().optional() }).optional(),
});
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

/** A DTLS certificate fingerprint: colon-separated hex bytes, as browsers write them. */
export const DtlsFingerprintSchema = z.object({
  algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
  value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){19,63}$/, 'must be colon-separated hex bytes'),
});

export const DtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(DtlsFingerprintSchema).min(1).max(5),
});
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;

export const IceParametersSchema = z.object({ usernameFragment: z.string(), password: z.string(), iceLite: z.boolean().optional() });
export type IceParameters = z.infer<typeof IceParametersSchema>;

export const IceCandidateSchema = z.object({
  foundation: z.string(),
  priority: z.number(),
  ip: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.literal('host'),
  tcpType: z.literal('passive').optional(),
});
export type IceCandidate = z.infer<typeof IceCandidateSchema>;

/** A STUN or TURN server for `RTCPeerConnection`; TURN carries a username and credential. */
export const IceServerSchema = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

export const SfuRoleSchema = z.enum(['host', 'viewer']);
export type SfuRole = z.infer<typeof SfuRoleSchema>;

export const SfuProducerInfoSchema = z.object({ producerId: IdSchema, kind: MediaKindSchema, paused: z.boolean() });
export type SfuProducerInfo = z.infer<typeof SfuProducerInfoSchema>;

// ---- client to server payloads and their results ----

const roomRef = { roomId: IdSchema };

export const SfuJoinPayloadSchema = z.strictObject(roomRef);
/** Answer to `sfu:join`: load a mediasoup-client Device with `routerRtpCapabilities`, then make transports. */
export const SfuJoinedSchema = z.object({
  role: SfuRoleSchema,
  routerRtpCapabilities: RtpCapabilitiesSchema,
  iceServers: z.array(IceServerSchema),
  /** The host's current producers; a viewer consumes each. */
  producers: z.array(SfuProducerInfoSchema),
});
export type SfuJoined = z.infer<typeof SfuJoinedSchema>;

export const TransportDirectionSchema = z.enum(['send', 'recv']);
export const SfuCreateTransportPayloadSchema = z.strictObject({ ...roomRef, direction: TransportDirectionSchema });
export const SfuTransportCreatedSchema = z.object({
  id: IdSchema,
  iceParameters: IceParametersSchema,
  iceCandidates: z.array(IceCandidateSchema),
  dtlsParameters: DtlsParametersSchema,
});
export type SfuTransportCreated = z.infer<typeof SfuTransportCreatedSchema>;

export const SfuConnectTransportPayloadSchema = z.strictObject({ ...roomRef, transportId: IdSchema, dtlsParameters: DtlsParametersSchema });
export const SfuRestartIcePayloadSchema = z.strictObject({ ...roomRef, transportId: IdSchema });
export const SfuIceRestartedSchema = z.object({ iceParameters: IceParametersSchema });

export const SfuProducePayloadSchema = z.strictObject({ ...roomRef, transportId: IdSchema, kind: MediaKindSchema, rtpParameters: RtpParametersSchema });
export const SfuProducedSchema = z.object({ producerId: IdSchema });
export const SfuSetProducerPausedPayloadSchema = z.strictObject({ ...roomRef, producerId: IdSchema, paused: z.boolean() });

export const SfuConsumePayloadSchema = z.strictObject({ ...roomRef, transportId: IdSchema, producerId: IdSchema, rtpCapabilities: RtpCapabilitiesSchema });
/** Answer to `sfu:consume`. The consumer starts paused: call `sfu:resumeConsumer` once the client side is ready. */
export const SfuConsumedSchema = z.object({
  consumerId: IdSchema,
  producerId: IdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
  producerPaused: z.boolean(),
});
export type SfuConsumed = z.infer<typeof SfuConsumedSchema>;

export const SfuResumeConsumerPayloadSchema = z.strictObject({ ...roomRef, consumerId: IdSchema });
/** A viewer's quality choice: the highest simulcast layer it wants; the server still drops lower when bandwidth is short. */
export const SfuSetPreferredLayersPayloadSchema = z.strictObject({
  ...roomRef,
  consumerId: IdSchema,
  spatialLayer: z.number().int().min(0).max(3),
  temporalLayer: z.number().int().min(0).max(3).optional(),
});
/** Audio only: the server stops sending this viewer video until it asks again. */
export const SfuSetAudioOnlyPayloadSchema = z.strictObject({ ...roomRef, audioOnly: z.boolean() });
export const SfuLeavePayloadSchema = z.strictObject(roomRef);

// ---- server to client ----

export const SfuNewProducerSchema = z.object({ roomId: IdSchema, producerId: IdSchema, kind: MediaKindSchema, paused: z.boolean() });
export const SfuProducerClosedSchema = z.object({ roomId: IdSchema, producerId: IdSchema });
export const SfuProducerPausedSchema = z.object({ roomId: IdSchema, producerId: IdSchema, paused: z.boolean() });
/** A consumer's health (0 to 10 scores) and the simulcast layer it currently receives (null when none). */
export const SfuConsumerStateSchema = z.object({
  roomId: IdSchema,
  consumerId: IdSchema,
  score: z.number(),
  producerScore: z.number(),
  spatialLayer: z.number().int().nullable(),
  temporalLayer: z.number().int().nullable(),
});

/**
 * Why the server ended a peer's media session. `rejoin` says whether the client should call
 * `sfu:join` again (the media moved to another worker) or stop (the room ended, the host went
 * live from another device, the person was removed from the room).
 */
export const SfuCloseReasonSchema = z.enum(['room-closed', 'media-restarted', 'replaced', 'left-room']);
export type SfuCloseReason = z.infer<typeof SfuCloseReasonSchema>;
export const SfuClosedSchema = z.object({ roomId: IdSchema, reason: SfuCloseReasonSchema, rejoin: z.boolean() });
