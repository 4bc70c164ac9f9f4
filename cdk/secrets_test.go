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
