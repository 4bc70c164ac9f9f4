package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
)

func TestSharedKeysAreGeneratedSecretsReadByEveryFunctionThatBuildsTheApp(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			s := synth(t, env)
			ids := map[string]string{ // env var -> secret logical id
				app.TicketSigningKeySecretEnv:      logicalID(t, s, s.stack.Secrets.TicketSigningKey.Node().DefaultChild()),
				app.WebhookSecretSecretEnv:         logicalID(t, s, s.stack.Secrets.WebhookSecret.Node().DefaultChild()),
				app.WaitingRoomSigningKeySecretEnv: logicalID(t, s, s.stack.Secrets.WaitingRoomSigningKey.Node().DefaultChild()),
			}
			secrets := s.resources("AWS::SecretsManager::Secret")
			stripeID := ""
			if s.stack.Secrets.StripeKeys != nil {
				stripeID = logicalID(t, s, s.stack.Secrets.StripeKeys.Node().DefaultChild())
				delete(secrets, stripeID) // TestStripeKeysAreReadOnlyByTheFunctionsThatCallTheProvider
			}
			require.Len(t, secrets, 3)
			for _, id := range ids {
				sec := secrets[id]
				require.NotNil(t, sec, id)
				gen := props(sec)["GenerateSecretString"].(map[string]any)
				assert.EqualValues(t, 64, gen["PasswordLength"], id)
				assert.Equal(t, true, gen["ExcludePunctuation"], id)
				assert.NotContains(t, props(sec), "SecretString", "%s: generated, never in the template", id)
				assert.NotContains(t, props(sec), "Name", "%s: no physical name", id)
				if env == "prod" {
					assert.Equal(t, "Retain", sec["DeletionPolicy"], "%s: a new ticket key would void every ticket sold", id)
				}
			}

			// Every function built from internal/app gets the three ARNs;
			// the scaling planner, which signs nothing, none.
			fns := s.resources("AWS::Lambda::Function")
			builders := map[string]bool{
				logicalID(t, s, s.stack.Workflow.Worker.Node().DefaultChild()):  true,
				logicalID(t, s, s.stack.Sweeper.Function.Node().DefaultChild()): true,
			}
			for _, f := range s.stack.Api.Functions {
				builders[FunctionLogicalID(f.Op)] = true
			}
			readers := map[string]bool{} // role logical ids
			for id, fn := range fns {
				vars := props(fn)["Environment"].(map[string]any)["Variables"].(map[string]any)
				for envVar, secretID := range ids {
					if builders[id] {
						assert.Equal(t, map[string]any{"Ref": secretID}, vars[envVar], "%s: %s", id, envVar)
					} else {
						assert.NotContains(t, vars, envVar, id)
					}
				}
				for _, k := range []string{"TICKET_SIGNING_KEY", "PSP_WEBHOOK_SECRET", "WAITING_ROOM_SIGNING_KEY"} {
					assert.NotContains(t, vars, k, "%s: no key in the template", id)
				}
				if builders[id] {
					readers[props(fn)["Role"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)] = true
				}
			}

			// Read access only, on those three secrets only, for exactly
			// those functions' roles.
			granted := map[string]map[string]bool{} // role -> secret ids
			for _, pol := range s.resources("AWS::IAM::Policy") {
				pp := props(pol)
				for _, st := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
					stmt := st.(map[string]any)
					var acts []string
					switch a := stmt["Action"].(type) {
					case string:
						acts = []string{a}
					case []any:
						for _, x := range a {
							acts = append(acts, x.(string))
						}
					}
					for _, a := range acts {
						if !strings.HasPrefix(a, "secretsmanager:") {
							continue
						}
						assert.Contains(t, []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, a)
						ref, _ := stmt["Resource"].(map[string]any)
						require.NotNil(t, ref, "one secret per statement, by reference")
						if ref["Ref"] == stripeID {
							continue
						}
						for _, r := range pp["Roles"].([]any) {
							role := r.(map[string]any)["Ref"].(string)
							if granted[role] == nil {
								granted[role] = map[string]bool{}
							}
							granted[role][ref["Ref"].(string)] = true
						}
					}
				}
			}
			for role := range readers {
				assert.Len(t, granted[role], 3, "%s reads the three secrets", role)
			}
			for role := range granted {
				assert.True(t, readers[role], "%s reads secrets but builds no app", role)
			}
		})
	}
}

// secretReaders maps each role that may read secretID to true.
func secretReaders(t *testing.T, s *synthed, secretID string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, pol := range s.resources("AWS::IAM::Policy") {
		pp := props(pol)
		for _, st := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			ref, _ := st.(map[string]any)["Resource"].(map[string]any)
			if ref == nil || ref["Ref"] != secretID {
				continue
			}
			for _, r := range pp["Roles"].([]any) {
				out[r.(map[string]any)["Ref"].(string)] = true
			}
		}
	}
	return out
}

func TestStripeKeysAreReadOnlyByTheFunctionsThatCallTheProvider(t *testing.T) {
	t.Run("dev pays through the simulator: no Stripe keys, every function told so", func(t *testing.T) {
		s := synth(t, "dev")
		assert.Nil(t, s.stack.Secrets.StripeKeys)
		for id, fn := range s.resources("AWS::Lambda::Function") {
			vars := props(fn)["Environment"].(map[string]any)["Variables"].(map[string]any)
			if _, ok := vars[app.TicketSigningKeySecretEnv]; !ok {
				continue // the scaling planner builds no app
			}
			assert.Equal(t, PaymentsSimulator, vars[app.ProviderEnv], id)
			assert.NotContains(t, vars, app.StripeKeysSecretEnv, id)
		}
	})
	t.Run("prod pays through Stripe: the keys reach only the functions that call it", func(t *testing.T) {
		s := synth(t, "prod")
		require.NotNil(t, s.stack.Secrets.StripeKeys)
		stripeID := logicalID(t, s, s.stack.Secrets.StripeKeys.Node().DefaultChild())
		sec := s.resources("AWS::SecretsManager::Secret")[stripeID]
		assert.NotContains(t, props(sec), "SecretString", "the keys are put in by hand, never in the template")
		assert.Equal(t, "Retain", sec["DeletionPolicy"])

		callers := map[string]bool{
			logicalID(t, s, s.stack.Workflow.Worker.Node().DefaultChild()):  true,
			logicalID(t, s, s.stack.Sweeper.Function.Node().DefaultChild()): true,
		}
		var names []string
		for _, f := range s.stack.Api.Functions {
			if f.Op.CallsProvider() {
				callers[FunctionLogicalID(f.Op)] = true
				names = append(names, f.Op.ID)
			}
		}
		assert.ElementsMatch(t, []string{"createPayment", "cancelOrder", "receivePspWebhook", "receiveStripeWebhook", "cancelShowtime", "rescheduleShowtime"}, names)
		readers := secretReaders(t, s, stripeID)
		callerRoles := map[string]bool{}
		for id, fn := range s.resources("AWS::Lambda::Function") {
			vars := props(fn)["Environment"].(map[string]any)["Variables"].(map[string]any)
			role := props(fn)["Role"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
			if callers[id] {
				callerRoles[role] = true
				assert.Equal(t, PaymentsStripe, vars[app.ProviderEnv], id)
				assert.Equal(t, map[string]any{"Ref": stripeID}, vars[app.StripeKeysSecretEnv], id)
				assert.True(t, readers[role], "%s reads the Stripe keys", id)
				continue
			}
			assert.NotContains(t, vars, app.StripeKeysSecretEnv, id)
			assert.False(t, readers[role], "%s calls no provider and may not read its keys", id)
		}
		assert.Equal(t, callerRoles, readers, "no other role reads the keys")
	})
}

func TestSimulatorWebhooksReachTheAPIThroughCloudFront(t *testing.T) {
	t.Run("dev: the functions that call the simulator post to the webhook's public URL", func(t *testing.T) {
		s := synth(t, "dev")
		distribution := logicalID(t, s, s.stack.Web.Distribution.Node().DefaultChild())
		senders := map[string]bool{
			logicalID(t, s, s.stack.Workflow.Worker.Node().DefaultChild()):  true,
			logicalID(t, s, s.stack.Sweeper.Function.Node().DefaultChild()): true,
		}
		for _, f := range s.stack.Api.Functions {
			if f.Op.CallsProvider() {
				senders[FunctionLogicalID(f.Op)] = true
			}
		}
		want := map[string]any{"Fn::Join": []any{"", []any{"https://",
			map[string]any{"Fn::GetAtt": []any{distribution, "DomainName"}}, "/api/webhooks/psp"}}}
		found := 0
		for id, fn := range s.resources("AWS::Lambda::Function") {
			vars := props(fn)["Environment"].(map[string]any)["Variables"].(map[string]any)
			if senders[id] {
				found++
				assert.Equal(t, want, vars[app.WebhookURLEnv], id)
				continue
			}
			assert.NotContains(t, vars, app.WebhookURLEnv, id)
		}
		assert.Equal(t, len(senders), found)
	})
	t.Run("prod: Stripe sends its own webhooks", func(t *testing.T) {
		s := synth(t, "prod")
		for id, fn := range s.resources("AWS::Lambda::Function") {
			vars := props(fn)["Environment"].(map[string]any)["Variables"].(map[string]any)
			assert.NotContains(t, vars, app.WebhookURLEnv, id)
		}
	})
}
