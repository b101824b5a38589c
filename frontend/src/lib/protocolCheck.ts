//! Holds the frontend's wire types (`types.ts`) to the server's (`protocol.ts`, generated from the Rust
//! types). Compile-time only: `tsc` in `npm run build` fails when a command, a code or an enumeration
//! differs, or when the frontend reads a field the server does not send. Nothing here runs.

import type * as Server from './protocol';
import type * as Client from './types';

/** Compiles only for `true`. */
type Expect<T extends true> = T;
/** The same set of values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The fields the frontend reads that the server's type lacks: `never` when there are none. */
type Unsent<ServerType, ClientType> = Exclude<keyof ClientType, keyof ServerType>;
type NothingUnsent<ServerType, ClientType> = Same<Unsent<ServerType, ClientType>, never>;
type Kind<K extends string> = Extract<Server.ItemView, { kind: K }>;
type Message<T extends string> = Extract<Server.ServerMsg, { type: T }>;

export type ProtocolChecks = [
  // Every command the server takes is one the frontend may send, and no other; each as the server reads it.
  Expect<Same<Client.Command['type'], Server.Command['type']>>,
  Expect<Client.Command extends Server.Command ? true : false>,
  Expect<Same<Client.Hello['role'], Server.Hello['role']>>,
  // Enumerations the frontend switches on.
  Expect<Same<Client.Phase, Server.Phase>>,
  Expect<Same<Client.Results, Server.Results>>,
  Expect<Same<Client.ActionStatus, Server.ActionStatus>>,
  Expect<Same<Client.Item['kind'], Server.ItemView['kind']>>,
  // Every field the frontend reads is one the server sends.
  Expect<NothingUnsent<Server.SessionView, Client.Session>>,
  Expect<NothingUnsent<Kind<'scale'>, Client.ScaleItem>>,
  Expect<NothingUnsent<Kind<'choice'>, Client.ChoiceItem>>,
  Expect<NothingUnsent<Kind<'points'>, Client.PointsItem>>,
  Expect<NothingUnsent<Kind<'words'>, Client.WordsItem>>,
  Expect<NothingUnsent<Server.RoundView, Client.Round>>,
  Expect<NothingUnsent<Server.WordView, Client.WordGroup>>,
  Expect<NothingUnsent<Server.Tally, Client.ScaleTally>>,
  Expect<NothingUnsent<Server.Spread, Client.Spread>>,
  Expect<NothingUnsent<Server.Consensus, Client.Consensus>>,
  Expect<NothingUnsent<Server.PastConsensus, Client.ReopenedConsensus>>,
  Expect<NothingUnsent<Server.Suggestion, Client.Suggestion>>,
  Expect<NothingUnsent<Server.Scale, Client.Scale>>,
  Expect<NothingUnsent<Server.Level, Client.ScaleLevel>>,
  Expect<NothingUnsent<Server.Summary, Client.Summary>>,
  Expect<NothingUnsent<Server.IndicatorSummary, Client.IndicatorSummary>>,
  Expect<NothingUnsent<Server.AreaSummary, Client.AreaSummary>>,
  Expect<NothingUnsent<Server.Priority, Client.Priority>>,
  Expect<NothingUnsent<Server.Action, Client.PlanAction>>,
  Expect<NothingUnsent<Server.Occasion, Client.Occasion>>,
  Expect<NothingUnsent<Server.AreaView, Client.Area>>,
  Expect<NothingUnsent<Server.BallotWire, Client.OwnBallot>>,
  Expect<NothingUnsent<Message<'welcome'>, Client.WelcomeMsg>>,
  Expect<NothingUnsent<Message<'ack'>, Client.AckMsg>>,
  Expect<NothingUnsent<Message<'error'>, Client.ErrorMsg>>,
  Expect<Same<Client.ErrorMsg['code'] & Server.Code, Server.Code>>,
];
